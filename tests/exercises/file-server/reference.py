# A correct file server: the whole file, then close; a missing file is
# not the end of the server.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
while True:
    conn, addr = server.accept()
    name = conn.recv(1024).decode("utf-8")
    try:
        with open(name, "rb") as f:
            conn.sendall(f.read())
        print("sent", name)
    except FileNotFoundError:
        print("no such file:", name)
    conn.close()
