# Wrong: sends a str; Python's socket takes bytes only.
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", 8080))
client.send("hello")
print("received:", client.recv(1024).decode("utf-8"))
client.close()
