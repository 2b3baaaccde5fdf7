# A correct file downloader that half-closes: once the name is sent, it
# says it will send nothing more (shutdown(SHUT_WR): its FIN), and still
# receives the file until the server closes.
import socket
import sys

name = sys.argv[1]
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.sendall(name.encode("utf-8"))
client.shutdown(socket.SHUT_WR)
pieces = []
while True:
    data = client.recv(65536)
    if not data:
        break
    pieces.append(data)
with open(name, "wb") as f:
    f.write(b"".join(pieces))
client.close()
print("wrote", name)
