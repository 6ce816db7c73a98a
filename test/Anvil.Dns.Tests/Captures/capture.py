#!/usr/bin/python3
"""Re-creates the DNS captures in this folder from a real named, dig and nsupdate.

Starts named on 127.0.0.1 (a free port) with two zones and the fixed test key below, then for each
step runs tcpdump on lo, runs the tool, stops tcpdump and writes every DNS message of the step, in
order, as <step>.<n>.<q|r>.hex (q = to the server, r = from it), plus what the tool printed as
<step>.out.txt. Run as root from anywhere: /usr/bin/python3 capture.py
"""
import os, shutil, signal, socket, struct, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
KEY_NAME = "capture-key"
KEY_SECRET = "Eo110mkQh3oKFfNsRMfJvVd4FFl2iivDTezftUrNmEc="  # hmac-sha256; also in CaptureFiles.cs
KEY = f"hmac-sha256:{KEY_NAME}:{KEY_SECRET}"

ZONE = """$TTL 300
@        IN SOA ns1.cap.test. hostmaster.cap.test. 2024010101 3600 600 86400 60
@        IN NS  ns1.cap.test.
ns1      IN A   127.0.0.1
www      IN A   192.0.2.10
www      IN A   192.0.2.11
www      IN AAAA 2001:db8::10
@        IN MX  10 mail.cap.test.
@        IN MX  20 mail2.cap.test.
mail     IN A   192.0.2.25
info     IN TXT "hello world" "second \\"quoted\\" string"
_sip._tcp IN SRV 0 5 5060 sip.cap.test.
sip      IN CNAME www.cap.test.
host     IN SSHFP 4 2 7D0A8E7E5FAE8B1D4E1A0F8D6CBB9FD1A4E8EAF3C0B5D7D9D3F2B6C1A0E9F8C7
"""

REVERSE = """$TTL 300
@  IN SOA ns1.cap.test. hostmaster.cap.test. 7 3600 600 86400 60
@  IN NS  ns1.cap.test.
10 IN PTR www.cap.test.
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_named(work, port):
    big = ["$TTL 60", "@ IN SOA ns1.big.test. hostmaster.big.test. 1 3600 600 86400 60", "@ IN NS ns1.cap.test."]
    big += [f"h{i:04d} IN A 10.1.{i // 256}.{i % 256}" for i in range(300)]
    files = {"cap.test.zone": ZONE, "2.0.192.in-addr.arpa.zone": REVERSE, "big.test.zone": "\n".join(big) + "\n"}
    for name, text in files.items():
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    zones = "".join(
        f'zone "{z}" {{ type primary; file "{work}/{z}.zone"; allow-update {{ key "{KEY_NAME}"; }}; allow-transfer {{ key "{KEY_NAME}"; }}; }};\n'
        for z in ("cap.test", "2.0.192.in-addr.arpa", "big.test"))
    conf = f"""key "{KEY_NAME}" {{ algorithm hmac-sha256; secret "{KEY_SECRET}"; }};
options {{
    directory "{work}"; pid-file "{work}/named.pid"; session-keyfile "{work}/session.key";
    listen-on port {port} {{ 127.0.0.1; }}; listen-on-v6 {{ none; }};
    recursion no; dnssec-validation no; notify no; minimal-responses yes;
    transfer-message-size 1024;
}};
controls {{ }};
logging {{ channel main {{ file "{work}/named.log"; severity info; }}; category default {{ main; }}; category update {{ null; }}; }};
{zones}"""
    with open(os.path.join(work, "named.conf"), "w") as f:
        f.write(conf)
    named = subprocess.Popen(["/usr/sbin/named", "-f", "-c", f"{work}/named.conf"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        out = subprocess.run(["dig", "@127.0.0.1", "-p", str(port), "cap.test", "SOA", "+short", "+tries=1", "+time=1"], capture_output=True, text=True).stdout
        if out.strip():
            return named
        time.sleep(0.1)
    named.kill()
    sys.exit("named did not start: " + open(f"{work}/named.log").read())


def capture(work, port, step, command):
    pcap = os.path.join(work, step + ".pcap")
    dump = subprocess.Popen(["tcpdump", "-i", "lo", "--immediate-mode", "-U", "-s", "0", "-w", pcap, f"port {port}"], stderr=subprocess.PIPE, text=True)
    dump.stderr.readline()  # "listening on lo ..." once the capture runs
    output = subprocess.run(command, capture_output=True, text=True)
    time.sleep(0.5)
    dump.send_signal(signal.SIGINT)
    dump.wait()
    with open(os.path.join(HERE, step + ".out.txt"), "w") as f:
        f.write(output.stdout)
    for i, (to_server, payload) in enumerate(messages(pcap, port), 1):
        with open(os.path.join(HERE, f"{step}.{i}.{'q' if to_server else 'r'}.hex"), "w") as f:
            f.write(payload.hex() + "\n")


def messages(pcap, port):
    """DNS messages of a pcap in order: UDP payloads as they come, TCP streams reassembled and unframed."""
    data = open(pcap, "rb").read()
    offset, order, streams = 24, [], {}
    while offset + 16 <= len(data):
        _, _, caplen, _ = struct.unpack("<IIII", data[offset:offset + 16])
        frame = data[offset + 16:offset + 16 + caplen]
        offset += 16 + caplen
        ip = frame[14:]
        if ip[0] >> 4 != 4:
            continue
        header = (ip[0] & 15) * 4
        proto, total = ip[9], struct.unpack(">H", ip[2:4])[0]
        body = ip[header:total]
        sport, dport = struct.unpack(">HH", body[:4])
        to_server = dport == port
        if proto == 17:
            order.append((to_server, body[8:]))
        elif proto == 6:
            seq = struct.unpack(">I", body[4:8])[0]
            payload = body[(body[12] >> 4) * 4:]
            key = (sport, dport)
            if key not in streams:
                streams[key] = {}
                order.append((to_server, key))
            if payload:
                streams[key].setdefault(seq, payload)
    for to_server, item in order:
        if isinstance(item, bytes):
            yield to_server, item
            continue
        segments = streams[item]
        stream = b"".join(segments[s] for s in sorted(segments))
        while len(stream) >= 2:
            length = struct.unpack(">H", stream[:2])[0]
            yield to_server, stream[2:2 + length]
            stream = stream[2 + length:]


def main():
    for old in os.listdir(HERE):
        if old.endswith(".hex") or old.endswith(".out.txt"):
            os.remove(os.path.join(HERE, old))
    work = tempfile.mkdtemp(prefix="anvil-dns-capture-")
    port = free_port()
    named = start_named(work, port)
    try:
        dig = ["dig", "@127.0.0.1", "-p", str(port), "+nocmd", "+nostats", "+noquestion", "+noedns", "+nocookie"]
        for step, name, rtype in [("query-a", "www.cap.test", "A"), ("query-aaaa", "www.cap.test", "AAAA"),
                                  ("query-mx", "cap.test", "MX"), ("query-txt", "info.cap.test", "TXT"),
                                  ("query-srv", "_sip._tcp.cap.test", "SRV"), ("query-soa", "cap.test", "SOA"),
                                  ("query-ptr", "10.2.0.192.in-addr.arpa", "PTR"), ("query-cname", "sip.cap.test", "A"),
                                  ("query-sshfp", "host.cap.test", "SSHFP"), ("query-nxdomain", "missing.cap.test", "A")]:
            capture(work, port, step, dig + [name, rtype])
        script = os.path.join(work, "update.txt")
        with open(script, "w") as f:
            f.write(f"server 127.0.0.1 {port}\nzone cap.test\n"
                    "update add new1.cap.test 120 A 192.0.2.51\n"
                    "update add new1.cap.test 120 TXT \"added by nsupdate\"\n"
                    "update delete www.cap.test A 192.0.2.11\nsend\n")
        capture(work, port, "update", ["nsupdate", "-y", KEY, script])
        capture(work, port, "axfr-small", dig + ["-y", KEY, "cap.test", "AXFR"])
        capture(work, port, "axfr-big", dig + ["-y", KEY, "big.test", "AXFR"])
    finally:
        named.kill()
        named.wait()
        shutil.rmtree(work)


main()
