# A correct chat server, as the tutorials write it.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
conn, addr = server.accept()
while True:
    line = conn.recv(1024).decode("utf-8")
    print("client:", line)
    if not line or line == "byebye":
        break
    answer = input("you> ")
    conn.sendall(answer.encode("utf-8"))
conn.close()
server.close()
