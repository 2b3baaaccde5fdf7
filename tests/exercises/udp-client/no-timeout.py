# Wrong: no timeout; it waits for ever for a reply that was lost.
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.sendto("time?".encode("utf-8"), ("127.0.0.1", 7788))
data, addr = client.recvfrom(1024)
print("the time:", data.decode("utf-8"))
client.close()
