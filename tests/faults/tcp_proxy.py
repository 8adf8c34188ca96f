"""`python -m tests.faults.tcp_proxy PORT TARGET_PORT`: forwards 127.0.0.1:PORT to
127.0.0.1:TARGET_PORT, so that a test can make a server (PostgreSQL) go away for the processes
that connect through it, by killing this process, and come back, by starting it again."""

import socket
import sys
import threading


def pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            end.close()


def serve(port: int, target_port: int) -> None:
    listener = socket.create_server(("127.0.0.1", port), reuse_port=True)
    print(f"forwarding {port} to {target_port}", flush=True)
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target_port))
        except OSError:
            client.close()
            continue
        for ends in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=ends, daemon=True).start()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
