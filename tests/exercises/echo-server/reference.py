# A correct echo server, as the tutorials write it.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
while True:
    conn, addr = server.accept()
    print("connected:", addr[0])
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
    conn.close()
    print("closed")
