# Wrong: after the reply it reads until the server closes, but the server
# waits for the client's FIN first: neither closes.
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.send("hello".encode("utf-8"))
while True:
    data = client.recv(1024)
    if not data:
        break
    print("received:", data.decode("utf-8"))
client.close()
