# Wrong: one recv(1024), as if the file arrived in one piece.
import socket
import sys

name = sys.argv[1]
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.send(name.encode("utf-8"))
data = client.recv(1024)
with open(name, "wb") as f:
    f.write(data)
client.close()
