# Receives in a loop, but never stops at b'': once the server has closed,
# every recv() returns b'' at once, and the loop never reaches close().
import socket
import sys

name = sys.argv[1]
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.send(name.encode("utf-8"))
pieces = []
while True:
    data = client.recv(65536)
    pieces.append(data)
with open(name, "wb") as f:
    f.write(b"".join(pieces))
client.close()
