# Wrong: answers the address of the first client, whoever asks.
import socket
import time

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("", 7788))
client = None
while True:
    data, addr = server.recvfrom(1024)
    if client is None:
        client = addr
    server.sendto(time.ctime().encode("utf-8"), client)
