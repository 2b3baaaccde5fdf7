# Wrong: the connection is never closed when the client has gone.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
clients = []
while True:
    conn, addr = server.accept()
    clients.append(conn)
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
