# Closes right after sending the name, as if close() only meant "I have
# nothing more to say": its kernel answers the file with RST.
import socket
import sys

name = sys.argv[1]
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.sendall(name.encode("utf-8"))
client.close()
