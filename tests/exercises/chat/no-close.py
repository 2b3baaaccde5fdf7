# Wrong: on byebye the server leaves its loop but never closes the
# connection; it goes back to accept() for the next client, and the client
# it left waits for a FIN that does not come.
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8080))
server.listen(5)
while True:
    conn, addr = server.accept()
    while True:
        line = conn.recv(1024).decode("utf-8")
        print("client:", line)
        if not line or line == "byebye":
            break
        answer = input("you> ")
        conn.sendall(answer.encode("utf-8"))
