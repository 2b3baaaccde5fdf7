# Wrong: an unknown file name raises FileNotFoundError, and the server ends.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
while True:
    conn, addr = server.accept()
    name = conn.recv(1024).decode("utf-8")
    with open(name, "rb") as f:
        conn.sendall(f.read())
    conn.close()
