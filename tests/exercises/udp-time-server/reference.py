# A correct UDP time server, as the tutorials write it.
import socket
import time

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("", 7788))
while True:
    data, addr = server.recvfrom(1024)
    print("asked:", data.decode("utf-8"))
    server.sendto(time.ctime().encode("utf-8"), addr)
