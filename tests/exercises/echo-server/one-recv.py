# Wrong: one recv() per client, as if a message always arrived whole.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
while True:
    conn, addr = server.accept()
    data = conn.recv(1024)
    conn.sendall(data)
    conn.close()
