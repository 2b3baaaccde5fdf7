# Wrong: no loop; it answers one datagram and ends.
import socket
import time

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("", 7788))
data, addr = server.recvfrom(1024)
server.sendto(time.ctime().encode("utf-8"), addr)
server.close()
