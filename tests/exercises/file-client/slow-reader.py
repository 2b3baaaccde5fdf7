# Right, the way a tutorial writes it: 1 KiB at a time, each piece written
# as it comes. The reader is slower than the wire: the client's window
# fills, closes and opens again, dozens of times.
import socket
import sys

name = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", 8080))
s.sendall(name.encode("utf-8"))
with open(name, "wb") as f:
    while True:
        data = s.recv(1024)
        if not data:
            break
        f.write(data)
s.close()
print("saved", name)
