# Wrong: a thread per client, but they share one variable: the first
# client's thread now reads the second client's socket.
import socket
import threading

conn = None


def serve():
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
    conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
while True:
    conn, addr = server.accept()
    threading.Thread(target=serve, daemon=True).start()
