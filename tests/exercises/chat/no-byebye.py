# Wrong: never looks for byebye; it asks for one more answer, and input()
# raises EOFError when nothing more is typed.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
conn, addr = server.accept()
while True:
    line = conn.recv(1024).decode("utf-8")
    if not line:
        break
    print("client:", line)
    answer = input("you> ")
    conn.sendall(answer.encode("utf-8"))
conn.close()
server.close()
