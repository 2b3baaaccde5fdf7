# Answers before it has heard the line: it asks for its answer first, so
# it waits at input() for a person who waits for its line.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
conn, addr = server.accept()
while True:
    answer = input("you> ")
    conn.sendall(answer.encode("utf-8"))
    line = conn.recv(1024).decode("utf-8")
    print("client:", line)
    if not line or line == "byebye":
        break
conn.close()
server.close()
