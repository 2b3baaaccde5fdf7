# Wrong: receives every byte, but opens the file anew ("wb" empties it)
# for each piece: only the last piece is left.
import socket
import sys

name = sys.argv[1]
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.send(name.encode("utf-8"))
while True:
    data = client.recv(65536)
    if not data:
        break
    with open(name, "wb") as f:
        f.write(data)
client.close()
