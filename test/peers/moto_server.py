"""moto server (AWS S3, Glue, Athena, … mocks) on 127.0.0.1 and a free port, for one test run.

Started by test/peers/servers.ts with the python of scripts/peers/moto.sh. Prints
{"url": "http://127.0.0.1:PORT"} on stdout once serving and exits when its stdin closes (the test
process that started it is gone). State is in memory: tests use their own bucket/database names.
"""

import json
import os
import sys
import threading

from moto.server import ThreadedMotoServer


def main():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    sys.stdout.write(json.dumps({"url": f"http://{host}:{port}", "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    if "--no-stdin-watch" in sys.argv:
        threading.Event().wait()
    while sys.stdin.buffer.read(65536):
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
