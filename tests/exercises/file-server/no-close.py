# Wrong: sends the file but never closes the connection, so the client,
# reading until the end of the stream, waits for a FIN that never comes.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
conns = []
while True:
    conn, addr = server.accept()
    name = conn.recv(1024).decode("utf-8")
    with open(name, "rb") as f:
        conn.sendall(f.read())
    print("sent", name)
    conns.append(conn)
