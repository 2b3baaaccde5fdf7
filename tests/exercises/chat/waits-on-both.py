# A chat server that waits for the client and the keyboard at once.
import select
import socket
import sys

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
conn, addr = server.accept()
done = False
while not done:
    ready, _, _ = select.select([conn, sys.stdin], [], [])
    if conn in ready:
        line = conn.recv(1024).decode("utf-8")
        print("client:", line)
        if not line or line == "byebye":
            break
        print("you> ", end="", flush=True)
    if sys.stdin in ready:
        answer = sys.stdin.readline().rstrip("\n")
        conn.sendall(answer.encode("utf-8"))
conn.close()
server.close()
