# Wrong: sends one read of 1024 bytes, the beginning of the file only.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
while True:
    conn, addr = server.accept()
    name = conn.recv(1024).decode("utf-8")
    try:
        with open(name, "rb") as f:
            conn.sendall(f.read(1024))
    except FileNotFoundError:
        pass
    conn.close()
