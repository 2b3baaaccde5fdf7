# Wrong: no loop; it answers one line and ends.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
conn, addr = server.accept()
line = conn.recv(1024).decode("utf-8")
print("client:", line)
conn.sendall(input("you> ").encode("utf-8"))
conn.close()
server.close()
