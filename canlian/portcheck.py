"""Is HOST:PORT free to serve on? ``python canlian/portcheck.py HOST PORT`` (no Django, so
``make run`` asks before it installs or migrates anything).

It binds the address as runserver will (address reuse on, so a port left in TIME_WAIT by a
server just stopped counts as free). Exit 0 when free; 2 when something already listens
there, with one line in English and Chinese saying so and which port to try instead; 1 with
the reason for anything else (an unknown host, a port below 1024 without the right)."""

import errno
import socket
import sys


def check(host: str, port: int) -> int:
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                other = port + 1
                print(f"Port {port} on {host} is taken: stop what uses it, or run "
                      f"make run PORT={other} / 端口 {port} 已被占用：请关闭占用它的程序，"
                      f"或运行 make run PORT={other}", file=sys.stderr)
                return 2
            print(f"Cannot serve on {host}:{port}: {exc} / 无法在 {host}:{port} 上运行："
                  f"{exc}", file=sys.stderr)
            return 1
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: portcheck.py HOST PORT", file=sys.stderr)
        return 1
    return check(argv[0], int(argv[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
