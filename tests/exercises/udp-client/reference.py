# A correct UDP client: a timeout, and a retry when no reply comes.
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.settimeout(0.5)
for attempt in range(5):
    client.sendto("time?".encode("utf-8"), ("127.0.0.1", 7788))
    try:
        data, addr = client.recvfrom(1024)
        print("the time:", data.decode("utf-8"))
        break
    except socket.timeout:
        print("no reply, asking again")
client.close()
