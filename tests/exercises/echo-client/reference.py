# A correct TCP client, as the tutorials write it.
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.send("hello".encode("utf-8"))
data = client.recv(1024)
print("received:", data.decode("utf-8"))
client.close()
