# socklab's own sentences, in English: the source and the fallback.
# Every message here is also in zh.ftl, with the same arguments (a test
# checks it). Arguments: $s is the actor that sent the packet, $r the one
# it goes to. Flags are written as on the ladder's arrows (SYN,ACK),
# states as RFC 9293 names them (SYN-RECEIVED).

## Between the items of a list of names (i18n::listed).
list-separator = {", "}

test-number = { $n }

## The ladder's notes: what a packet means. Each has a full form, read the
## first time a kind of note appears, and a brief one after.

note-handshake-syn = handshake ①: { $s } asks { $r } to open a connection. seq=0 stands for { $s }'s initial sequence number (ISN), which the kernel picks at random; socklab counts from it, as Wireshark does.
brief-handshake-syn = handshake ①: { $s } asks { $r } to open a connection.
note-handshake-syn-ack = handshake ②: { $s } agrees. One segment carries its own SYN (seq=0, counted from its own random ISN) and ACK 1: "got your SYN, send byte 1 next".
brief-handshake-syn-ack = handshake ②: { $s } agrees: SYN,ACK.
note-handshake-ack = handshake ③: { $s } acknowledges { $r }'s SYN (ack=1). Both ends are ESTABLISHED: three packets, and the connection is open.
brief-handshake-ack = handshake ③: { $s } acknowledges; the connection is open.
note-data = { $s } sends { $len ->
    [one] 1 byte
   *[other] { $len } bytes
} of data: { $len ->
    [one] byte { $first }
   *[other] bytes { $first }–{ $last }
} of its stream.
brief-data = { $s } sends bytes { $first }–{ $last }.
note-ack = { $s } acknowledges: every byte before { $next } has arrived, byte { $next } is the next it expects.
brief-ack = { $s }: everything before byte { $next } has arrived.
note-close-fin = close ①: { $s } sends FIN: it has no more data to send. { $s } may still receive until { $r } closes too.
brief-close-fin = close ①: { $s } sends FIN: no more data from { $s }.
note-close-fin-acked = close ②: { $s }'s kernel acknowledges the FIN (ack = FIN's seq + 1). { $s }'s program is not told at once: its next recv() returns no data (end of stream).
brief-close-fin-acked = close ②: { $s } acknowledges the FIN.
note-close-second-fin = close ③: { $s } closes its side too: its own FIN.
note-close-fin-ack-merged = close ②+③ in one segment: { $s } acknowledges { $r }'s FIN and sends its own FIN together. The kernel held its ACK back briefly (a delayed ACK), { $s }'s program closed in the meantime, and one segment did both jobs: four steps, three packets.
brief-close-fin-ack-merged = close ②+③ in one segment: { $s } acknowledges { $r }'s FIN and sends its own.
note-close-last-ack = close ④: { $s } acknowledges the last FIN. { $r } is now CLOSED; { $s } waits in TIME-WAIT (60 s on Linux) so that a stray old segment cannot be taken for part of a new connection.
brief-close-last-ack = close ④: { $s } acknowledges the last FIN and waits in TIME-WAIT.
note-reset = RST: { $s } aborts the connection; nothing more will be exchanged.
note-refused = RST: nothing listens on this port, so { $s }'s kernel refuses the connection. { $r }'s connect() fails with "Connection refused".
brief-refused = RST: nothing listens on this port; connection refused.
note-zero-window = win=0: { $s }'s receive buffer is full, because its program is not reading. { $r } may send nothing more until the window opens.
brief-zero-window = win=0: { $s }'s buffer is full.
note-window-reopened = window update: { $s }'s program has read, and { $window } bytes are free again: { $r } may go on sending.
note-payload = data: { $data }
note-window-update = window update: { $s } sends nothing new, only a new window: { $r } may now have { $window } bytes in flight (the program read, or the kernel grew the receive buffer). Wireshark: TCP Window Update.
note-probe = probe: { $s } sends an empty segment carrying an old sequence number, only to make { $r } answer with its current window (a zero-window probe; Wireshark: TCP Keep-Alive). It is repeated at growing intervals while the window stays closed.
brief-probe = probe: { $s } asks for { $r }'s window again.
note-retransmission-syn = retransmission: { $s } sends its SYN again, same sequence number. No answer had come back before its timer ran out (1 s for a first SYN, RFC 6298 §2.1), so its kernel took the first SYN for lost. If that one arrives after all, { $r } has seen it already and does not open a second connection.
brief-retransmission-syn = retransmission: { $s } sends its SYN again.
note-retransmission = retransmission: { $s } sends { $what } again. No acknowledgement had come back in time, so its kernel took the first copy for lost: its retransmission timer ran out (RFC 6298), or Linux's tail-loss probe fired first (RFC 8985). If that copy did arrive after all, { $r } drops the duplicate and acknowledges.
brief-retransmission = retransmission: { $s } sends { $what } again.
what-fin = its FIN
what-bytes = bytes { $first }–{ $last }
what-bytes-and-fin = bytes { $first }–{ $last } and its FIN
note-fast-retransmission = fast retransmission: { $s } resends bytes { $first }–{ $last } at once. The duplicate ACKs told it this segment is missing while later ones arrived, so it does not wait for its timer (RFC 5681 §3.2).
note-spurious-retransmission = spurious retransmission: { $s } sends bytes { $first }–{ $last } again, but { $r } had already acknowledged them: this copy was not needed, and { $r } drops it.
note-out-of-order = out of order: bytes { $first }–{ $last } arrive after later bytes of { $s }'s stream. They were held up on the way, not resent; { $r }'s TCP puts them back in order before its program reads them.
note-duplicate-ack = duplicate ACK #{ $count }: { $s } still expects byte { $next }. A segment arrived that did not move its stream on (one beyond a gap, or a copy of bytes it had), so it repeats its last ACK at once. Several in a row tell { $r } that a segment is missing.
brief-duplicate-ack = duplicate ACK #{ $count }: { $s } still waits for byte { $next }.
note-duplicate-ack-copy = duplicate ACK #{ $count }: { $s } repeats its last ACK (still ack={ $next }). What it just received was a copy of something it already had, so its stream did not move on: nothing is missing.
brief-duplicate-ack-copy = duplicate ACK #{ $count }: { $s } answers a copy; nothing is missing.
note-challenge-ack = challenge ACK: { $s }'s connection is already open, so a SYN cannot start a new one. { $s } drops it and answers with an ACK that restates where the connection stands (RFC 5961 §4.2).
brief-out-of-order = out of order: bytes { $first }–{ $last } arrive after later bytes.
brief-sack = SACK: { $s } also holds bytes { $ranges } beyond the gap.
brief-dsack = D-SACK: bytes { $first }–{ $last } arrived twice.
note-sack = SACK: { $s } also holds bytes { $ranges } beyond the gap (selective acknowledgement, RFC 2018), so { $r } need resend only what is missing.
ranges-and = { $first } and { $second }
note-dsack = D-SACK: { $s } tells { $r } that bytes { $first }–{ $last } arrived twice (RFC 2883): one copy was not needed.
note-arp-request = ARP: before its first IP packet to { $r }, { $s } must learn { $r }'s Ethernet (MAC) address. It broadcasts the question to every host on the local network (RFC 826).
brief-arp-request = ARP: { $s } asks for { $r }'s MAC address.
note-arp-reply = ARP reply: { $s } answers with its MAC address, to { $r } alone. Both kernels keep the answer in their ARP cache (`ip neigh`), so the packets that follow go straight out.
brief-arp-reply = ARP reply: { $s } gives its MAC address.
note-neighbour-solicitation = neighbour solicitation: IPv6 has no ARP. Before its first packet to { $r }, { $s } must learn { $r }'s Ethernet (MAC) address, so it asks over ICMPv6, and not of every host: of the solicited-node group of the address it looks for (ff02::1:ff and the address's last 24 bits), which only that host has joined (RFC 4861 §4.3).
brief-neighbour-solicitation = neighbour solicitation: { $s } asks for { $r }'s MAC address.
note-neighbour-advertisement = neighbour advertisement: { $s } answers with its MAC address, to { $r } alone. Both kernels keep it in their neighbour cache (`ip -6 neigh`), so the packets that follow go straight out.
brief-neighbour-advertisement = neighbour advertisement: { $s } gives its MAC address.
note-port-unreachable = ICMP: { $s }'s kernel reports that no socket is bound to the port the datagram went to. A UDP socket that connect()ed hears of it as an error; one that only used sendto() is never told.
brief-port-unreachable = ICMP: no socket on that port.
note-datagram-first = one UDP datagram, { $len ->
    [one] 1 byte
   *[other] { $len } bytes
} of data. No handshake came before it and no acknowledgement follows: UDP just sends.
brief-datagram-first = one UDP datagram, { $len ->
    [one] 1 byte
   *[other] { $len } bytes
} of data.
note-datagram = one more datagram, { $len ->
    [one] 1 byte
   *[other] { $len } bytes
}: a message of its own.
note-broadcast = broadcast: addressed to every host on the local network at once. Each gets a copy, and on each one every socket bound to port { $port } reads it: one sendto(), one packet, many receivers.
note-multicast-all = multicast to { $group }, the all-nodes group: every IPv6 host on the link is in it, so each gets a copy and every socket bound to port { $port } reads it. IPv6's broadcast, without SO_BROADCAST.
note-multicast = multicast to the group { $group }: only hosts whose kernel joined the group keep a copy (a simple switch sends the frame to every host, and the others drop it). On those hosts every socket bound to port { $port } reads it.
note-keep-alive = keep-alive: nothing new, one byte before { $s }'s next sequence number. The connection has been idle; { $s } checks that { $r } is still there, and { $r } must answer with an ACK (RFC 9293 §3.8.4). Wireshark: TCP Keep-Alive.
note-keep-alive-ack = { $s } answers the keep-alive with the same ACK as before: still here, nothing new. Wireshark: TCP Keep-Alive ACK.
note-zero-window-probe = zero-window probe: { $r }'s window is 0, so { $s } sends a single byte to ask whether room has opened (RFC 9293 §3.8.6.1). Wireshark: TCP ZeroWindowProbe.
note-zero-window-probe-ack = { $s } answers the probe: its window is still 0, the byte is not taken. Wireshark: TCP ZeroWindowProbeAck.
note-window-full = window full: this segment reaches the edge of the window { $r } advertised; { $s } may send no more until { $r } acknowledges (RFC 9293 §3.8.6). Wireshark: TCP Window Full.
note-ports-reused = a new connection on the same addresses and ports as an earlier one (a new ISN): its numbers start again from 0. Wireshark: TCP Port numbers reused.
note-previous-segment-not-captured = { $s } skips ahead: the bytes just before this segment have not been seen (held up on the way and still to come, lost before the capture point, or sent before the capture started). Wireshark: TCP Previous segment not captured.
note-acked-unseen-segment = { $s } acknowledges bytes the capture never saw { $r } send: they went by unseen. Wireshark: TCP ACKed unseen segment.
note-fragment-more = IP fragment: bytes { $first }–{ $last } of a { $protocol } datagram too big for the link, cut in pieces on the way (RFC 791 §2.3, RFC 8200 §4.5). { $r } puts it back together once every piece has come; Wireshark shows it whole at the last piece.
note-fragment-last = IP fragment: bytes { $first }–{ $last } of a { $protocol } datagram too big for the link, cut in pieces on the way (RFC 791 §2.3, RFC 8200 §4.5). { $r } puts it back together, but a piece before this one is missing; Wireshark shows it whole at the last piece.
protocol-number = protocol { $n }
note-icmp-echo-request = ping: { $s } asks { $r } to echo this message back (an ICMP echo request, RFC 792). No port and no socket of { $r }'s is involved: { $r }'s kernel answers by itself.
note-icmp-echo-reply = pong: { $s }'s kernel echoes the ping back; the id and seq match the request's, which is how ping pairs them and measures the round trip.
note-icmp-unreachable = ICMP destination unreachable ({ $reason }): { $s } reports that a packet { $r } sent could not be delivered. The message quotes the start of that packet, so { $r }'s kernel can tell the socket (connect() and send() then fail, RFC 1122 §4.2.3.9).
note-icmp-reassembly = ICMP time exceeded: { $s } gave up reassembling a fragmented datagram from { $r }: a piece never came (RFC 792).
note-icmp-time-exceeded = ICMP time exceeded: a packet from { $r } ran out of hops (its TTL or hop limit reached 0) at { $s }, which dropped it and says so. traceroute sends packets with TTL 1, 2, 3… to hear from each router on the way.
note-icmp-too-big = ICMPv6 packet too big: a packet from { $r } did not fit the next link (MTU { $mtu } bytes) at { $s }. IPv6 routers never cut packets: the sender must send smaller ones (path MTU discovery, RFC 8201).
note-icmp-other = an { $icmp } message of type { $kind }, code { $code }: a control message of the IP layer, not data of any socket.

## What socklab's lab wire did to a frame.

fate-dropped-tcp = ✗ lost on the wire: the lesson's wire dropped this frame, so { $r } never receives it. Only { $r }'s duplicate ACKs or { $s }'s own retransmission timer can tell { $s }.
fate-dropped-udp = ✗ lost on the wire: the lesson's wire dropped this frame, so { $r } never receives it, and nobody will notice: UDP has no acknowledgements.
fate-duplicate-tcp = ⧉ duplicated on the wire: { $r } receives this same frame a second time. { $s }'s kernel sent it once; in a capture the copy looks exactly like a retransmission, and tshark names it one.
fate-duplicate = ⧉ duplicated on the wire: { $r } receives this same frame a second time.
fate-delayed-first = ⏱ delayed on the wire by { $ms } ms: this is the first copy { $s }'s kernel sent, overtaken by the one it sent again when its timer ran out. A capture sees it come second and calls it a retransmission (tshark too).
fate-delayed = ⏱ delayed on the wire by { $ms } ms: frames sent after it may overtake it.
fate-reordered = ⇄ reordered on the wire: held back, and delivered to { $r } after a frame { $s } sent later.
fate-corrupted = ⚡ corrupted on the wire: one byte flipped. { $r }'s kernel finds the checksum wrong and throws the frame away without a word (RFC 9293 §3.1, RFC 768).

## Numbers shown under a note, on lines of their own.

detail-isn = ISN { $isn }
detail-options = options: { $options }
gloss-options = (MSS: the most data it can take in one segment; SACK-permitted: it can acknowledge data that arrives past a gap; timestamps: a clock value in every segment, to time round trips; wscale: its later windows count in units of 2^wscale bytes, and win= shows them multiplied out.)
gloss-window = (win=: how many more bytes the sender's receive buffer can take now, its receive window. seq and ack count bytes; len is the data this segment carries.)

## A long run of packets in one row.

summary-segments = { $count ->
    [one] 1 segment
   *[other] { $count } segments
}, { $bytes } bytes
summary-resent = , { $count } resent
summary-acks = { $count ->
    [one] 1 ACK
   *[other] { $count } ACKs
}
summary-dup = , { $count } dup
summary-sent = { $side } sent bytes { $first }–{ $last } of its stream in { $count ->
    [one] 1 segment
   *[other] { $count } segments
} of up to { $largest } bytes{ $resent ->
    [0] {""}
    [one] , one of them sent again (a retransmission)
   *[other] , { $resent } of them sent again (retransmissions)
}.
summary-acked = { $side } acknowledged with { $count ->
    [one] 1 ACK
   *[other] { $count } ACKs
}{ $dup ->
    [0] {""}
    [one] {" "}(one a duplicate, asking again for a missing segment)
   *[other] {" "}({ $dup } duplicates, asking again for missing segments)
}{ $copies ->
    [0] {""}
    [one] {" "}(one a duplicate answering a copy: nothing was missing)
   *[other] {" "}({ $copies } duplicates answering copies: nothing was missing)
}, the last one ack={ $ack }: everything before byte { $ack } had arrived.
summary-text = … { $count ->
    [one] 1 more packet like those above
   *[other] { $count } more packets like those above
}, summarised: { $sentences } `--all-packets` shows every one.
summary-span = over { $ms } ms, from the first of them to the last

## The lesson's frame.

ladder-time-unit = ms
lesson-title = socklab · { $title }
lesson-ipv6-loopback = Over IPv6: the sockets are { $code ->
    [rust] Domain::IPV6
   *[python] AF_INET6
}, loopback is ::1 and "any address" is ::. The IPv6 header is 40 bytes long where IPv4's is 20, so the largest TCP segment on loopback (the MSS in the SYN) is 20 bytes smaller: 65476 instead of 65495. { $code ->
    [rust] Addresses from recv_from() and accept() are SocketAddrV6: host, port, flow info and scope id.
   *[python] Addresses from recvfrom() and accept() are 4-tuples: (host, port, flow info, scope id).
}
lesson-ipv6-wire = Over IPv6: the sockets are { $code ->
    [rust] Domain::IPV6
   *[python] AF_INET6
} and "any address" is ::. { $code ->
    [rust] Addresses from recv_from() and accept() are SocketAddrV6: host, port, flow info and scope id;
   *[python] Addresses from recvfrom() and accept() are 4-tuples: (host, port, flow info, scope id);
} the scope id is the number of the interface a link-local address (fe80::) belongs to.
step-title = ── Step { $step } of { $total } · { $title }{" "}
question-answer = Answer: { $answer }.{" "}
question-right = ✓ Right.
question-wrong = ✗ Not quite: the answer is { $answer }.
end-complete = Lesson complete: { $packets ->
    [one] 1 packet
   *[other] { $packets } packets
} on the wire, every one captured from the kernel.
end-complete-lost = Lesson complete: { $packets ->
    [one] 1 packet
   *[other] { $packets } packets
} on the wire. The wire lost { $lost ->
    [one] 1 more frame
   *[other] { $lost } more frames
} that it had no room for (the machine did not keep up), so the capture is not whole.
end-questions = Questions: { $right } of { $answered } right.

## Hold mode.

held = held on the wire: { $from } → { $to }, { $what }. { $waiting }
held-tcp = { $flags }
held-tcp-data = { $flags } with { $len } bytes of data
held-udp = a UDP datagram of { $len } bytes
held-icmp = ICMP port unreachable
held-ndp = neighbour discovery
held-arp = ARP
held-nobody = No host has received it.
held-not-received = { $to } has not received it.
held-not-this-copy = { $why } { $to } has not received this copy.
held-delayed = It is the first one { $from } sent, which the wire delayed by { $ms } ms. { $to } has not received it.
again-by-timer = A copy: { $from }'s kernel sent it again when its retransmission timer ran out.
again-answer = The same ACK again: { $from }'s answer to a copy that reached it.
let-go-copies = Let go, with { $copies ->
    [one] 1 copy
   *[other] { $copies } copies
} that { $from } sent while it waited. { $why }

## The kernel's own view of the sockets.

kernel-heading = The kernel's own view (/proc/net in the sandbox):
kernel-heading-hosts = The kernels' own view (/proc/net on each host):
kernel-legend = ✓: the packets show the same state. The states are Linux's names (as netstat writes them) for RFC 9293's: SYN_RECV is SYN-RECEIVED, FIN_WAIT1 is FIN-WAIT-1, TIME_WAIT is TIME-WAIT, and so on.
kernel-legend-check = ✓: the packets show the same state.
kernel-legend-states = The states are Linux's names (as netstat writes them) for RFC 9293's: SYN_SENT is SYN-SENT, SYN_RECV is SYN-RECEIVED, FIN_WAIT1 is FIN-WAIT-1, TIME_WAIT is TIME-WAIT, and so on.
kernel-agrees = ✓
kernel-differs = ≠ the packets: { $state }
kernel-queued = (in { $listener }'s accept queue)
kernel-half-open = (in { $listener }'s SYN queue)
kernel-closed = { $name } (closed)
kernel-gone = gone
kernel-connected = connected
kernel-unconnected = unconnected
kernel-groups = Multicast groups each kernel is in, on eth0 (/proc/net/igmp6):
kernel-groups-left-out = Not shown: the groups every IPv6 host joins for itself, ff01::1 (all nodes of this host) and ff02::1:ff00:N (solicited-node, where neighbour discovery asks for an address).
kernel-checksum-errors = Segments and datagrams each kernel threw away because their checksum did not add up (InCsumErrors in /proc/net/snmp; for UDP over IPv6, Udp6InCsumErrors in /proc/net/snmp6):
group-all-nodes = all nodes
group-joined = joined

## What a call gave back, as a comment after it.

code-connected-tcp = connect() returned: the handshake is done. The kernel gave { $socket } the address { $local }: a random (ephemeral) port, since it never bound one.
code-connected-udp = connect() on a UDP socket sends nothing: it only fixes the peer. The kernel gave { $socket } the address { $local }: a random (ephemeral) port, since it never bound one.
code-closed-python = recv() returned empty bytes: the peer has closed its side. This is how a program learns that the other end is gone.
code-closed-rust = read() returned Ok(0), an empty read: the peer has closed its side. This is how a program learns that the other end is gone.
code-received-all = { $calls ->
    [one] 1 { $recv } call
   *[other] { $calls } { $recv } calls
} with a { $bufsize }-byte buffer returned data, then one returned { $empty }: the peer had closed. What one { $recv } returns depends on the buffer and on what has arrived by then, not on how the bytes were cut into segments.
code-rust-main = With socket2 { $version }, the lines below run in

## Replay and watch.

replay-title = socklab · replay of { $file }
replay-end = { $frames } frames: { $explained } TCP or UDP packets explained, { $skipped } other frames skipped{ $malformed ->
    [0] {""}
   *[other] , { $malformed } malformed (each named above, with the reason)
}.
replay-stopped = The file stops being readable at frame { $frame }: { $reason }.
frame-malformed = frame { $frame } malformed: { $reason }
frame-skipped = frame { $frame } skipped: { $reason }
watch-start = Watching TCP and UDP on { $iface } ({ $ports }); Ctrl-C ends with a summary.
watch-every-port = every port
watch-ports = { $count ->
    [one] port
   *[other] ports
} { $ports }
watch-none = No conversation was seen.
watch-count = Watched { $count ->
    [one] 1 conversation
   *[other] { $count } conversations
}:
watch-conversation = { $packets } packets; { $client } bytes from the client, { $server } from the server; { $resent } resent; { $ending }
ending-datagrams = datagrams (UDP has no connection to close)
ending-reset = reset (RST)
ending-closed = closed by both sides (FIN each way)
ending-client-fin = half-closed: the client sent its FIN
ending-server-fin = half-closed: the server sent its FIN
ending-open = still open

## Where the learner is asked.

prompt-pause = [Enter] { $what } · b back · q quit · ? keys{" "}
prompt-next-packet = next packet
prompt-next-packets = next packets
prompt-run-code = run the code
prompt-let-go = let it go
prompt-keys = Enter, → or n: go on · ← or b: back one packet · N g: to step N · r: this step again · q: quit
prompt-answer = Your answer (1-{ $choices }, q to quit):{" "}
prompt-number = Please type a number from 1 to { $choices }:{" "}

## What ends a run early.

cli-width-range = a width must be from { $fewest } to { $most } columns
error-missing-packet = step { $step } ({ $title }): expected `{ $expected }` on the wire, but it did not come within { $seconds } s; saw { $saw }
error-nothing-else = nothing else
error-and-more = { $shown }, and { $more } more
error-times = { $packet } ×{ $count }
error-call-failed = step { $step } ({ $title }): `{ $call }` failed: { $error }{ $hint }
error-ipv6-broadcast = IPv6 has no broadcast
error-no-last-sender = `addr` is not set yet: recvfrom() must come first
hint-in-use = {" "}(another socket holds this port; `socklab list` has lessons on SO_REUSEADDR)
hint-refused = {" "}(nobody listens on that port)
hint-open-files = {" "}(too many open files: this process may open { $limit }; raise the limit, `ulimit -n 1024`)
hint-memory = {" "}(not enough memory: is the address-space limit, `ulimit -v`, too low?)
error-out-of-memory = out of memory: the memory limit (`ulimit -v`) is too low for socklab to go on.
hint-threads = {" "}(the system would not start another thread: not enough memory, `ulimit -v`, or too many processes, `ulimit -u`)
hint-timed-out = {" "}(the call waited and nothing came: are the lesson's steps in the right order?)
error-expected-raise = the lesson expects it to raise { $error }, but it succeeded
error-interrupted = socklab: interrupted; nothing is left behind (the sandbox network vanished with the run)
error-unknown-lesson = there is no lesson `{ $id }`{ $hint }
error-no-own-binary = `run --all` runs each lesson in a socklab process of its own, but cannot find socklab's own binary in /proc/self/exe ({ $error }): mount /proc, or run the lessons one at a time.
hint-did-you-mean = ; did you mean `{ $near }`? (`socklab list` shows every lesson)
hint-no-file = : no file { $id } either
hint-list = ; `socklab list` shows every lesson
error-no-translation = lesson `{ $id }` has no `{ $lang }` translation; it can be shown in: { $known }
note-ipv6-counterpart = { $id } does not run over IPv6: { $why }
    Its IPv6 counterpart follows: { $other }.
wrote-code-python = Wrote the lesson's code to { $path }: a Python script.
wrote-code-rust = Wrote the lesson's code to { $path }: a Rust main.rs, its Cargo.toml [dependencies] in its header.
wrote-code-hosts-python = Wrote the lesson's code as one program per host, { $files }: Python scripts.
wrote-code-hosts-rust = Wrote the lesson's code as one program per host, { $files }: Rust main.rs files, their Cargo.toml [dependencies] in their headers.
wrote-pcap = Wrote { $frames } frames to { $path }: `tshark -r { $path }` or Wireshark opens it.
left-out = socklab: left out { $count ->
    [one] 1 lesson file
   *[other] { $count } lesson files
} with problems ({ $files }); `socklab check { $dir }` lists them
list-run-one = Run one with `socklab run ID`.
all-summary = Summary
all-done = done
all-failed = a step failed
all-interrupted = interrupted
all-could-not-run = could not run
all-not-run = ({ $count } lessons not run)
all-not-ipv6 = { $id }: not over IPv6: { $why }
all-not-ipv6-counterpart = { $id }: not over IPv6: { $why } Its IPv6 counterpart, { $other }, runs in its turn.

## Exercises.

exercise-title = socklab · exercise · { $title }
exercise-list-next = `socklab exercise show ID` tells the task; `socklab exercise start ID` writes a file to begin with.
exercise-contract = What your program must do
exercise-checks = What socklab checks, in this order
exercise-hints = Hints
exercise-lesson-first = The lesson that shows it: `socklab run { $lesson }`.
exercise-how = Begin with the first command below (it writes { $file }), then check your program with the second:
exercise-started = Wrote { $file }: fill in its TODOs, then check it with:
exercise-program = Your program: `{ $command }`, as { $actor }. socklab plays the other side with the calls shown below.
check-title = ── Check { $check } of { $total } · { $title }{" "}
setup-title = ── socklab's side · { $title }{" "}
check-passed = ✓ { $title }
check-failed = ✗ { $title }
check-not-run = – { $title } (not run: an earlier check failed)
check-lesson = The lesson: socklab run { $lesson }
failure-missing-packet = Expected { $expected } on the wire; it did not come within { $seconds } s. Saw instead: { $saw }.
expect-with-data = {" "}with data
failure-closed-first = { $actor } closed the connection before sending it: its FIN came first.
failure-reset-first = { $actor } reset the connection before sending it: its RST came first.
failure-other-side-closed-first = { $actor } had closed its side first: its FIN came, and since then every recv() in { $reader }'s program returns b'' at once. A program that goes on reading after b'' never gets to its close().
failure-reset-after-own-fin = { $actor } had closed this connection before: its FIN came earlier. close(), like shutdown(SHUT_RDWR), also stops receiving, so its kernel answered the data that came after with RST (RFC 9293 §3.6.1). To say "nothing more to send" and go on receiving, call shutdown(SHUT_WR).
failure-no-fin = { $expected } did not come within { $seconds } s.
failure-left-open = In the kernel's own view, { $actor }'s connection is still { $state }, with nothing left unread: your program has read all that { $peer } sent, and runs on without calling close() on it. Only close() sends the FIN (or the program's end, when its kernel closes what it left open).
failure-and-why = { $failure } { $why }
failure-call-failed = socklab's `{ $call }` failed: { $error }.
failure-no-answer = socklab's `{ $call }` waited { $seconds } s, and nothing came from your program.
failure-no-more = socklab's `{ $call }` got { $bytes } bytes, then waited { $seconds } s, and nothing more came from your program: no more data, and not the end of the stream (its FIN).
error-partly-received = timed out after { $bytes } bytes, with no end of the stream
failure-not-ready-tcp = Nothing listened on TCP port { $port } within { $seconds } s.
failure-not-ready-udp = Nothing was bound to UDP port { $port } within { $seconds } s.
failure-ended = Your program ended (exit status { $status }) before it was ready: what it printed, below, says why first (a traceback, a file it could not open).
failure-ended-signal = Your program ended (a signal stopped it) before it was ready.
failure-crashed = Your program ended (exit status { $status }) during this exchange; it must keep running and serve the next one.
failure-crashed-signal = Your program ended (a signal stopped it) during this exchange; it must keep running and serve the next one.
failure-forbidden = { $packet } appeared on the wire, and this check does not allow it.
failure-received = socklab expected { $expected_len } bytes, { $expected }, and got { $got_len }, { $got }: they differ from byte { $at } on.
failure-received-short = socklab expected { $expected_len } bytes, { $expected }, and got only the first { $got_len } of them before the stream ended.
failure-file-short = { $name } has only the first { $got_len } of the { $expected_len } bytes sent: the rest is missing.
failure-exited-with = Your program ended with exit status { $status }, not 0: something went wrong (what it printed on standard error is below).
failure-exited-signal = Your program was ended by a signal, not by reaching its end.
failure-did-not-exit = Your program was still running { $seconds } s after the exchange; it should have ended.
failure-not-printed = Your program did not print "{ $text }".
failure-file-missing = Your program did not write { $name }.
failure-file = { $name } has { $got_len } bytes, where { $expected_len } were sent: they differ from byte { $at } on.
failure-stopped = Your program ran longer than the { $seconds } s this exercise allows, and was stopped.
program-printed = Your program printed:
program-printed-errors = On its standard error:
program-earlier = … { $lines } earlier lines
program-nothing = Your program printed nothing.
program-status = It exited with status { $status }.
program-signal = A signal ended it.
program-stopped = socklab stopped it at the end (a server runs until it is stopped).
program-stopped-running = It was still running at the end, and socklab stopped it.
program-not-typed = socklab never typed "{ $line }" into it: it types that line once your program has printed "{ $after }", as a person answers what they have read.
program-typed-mark = ← typed by socklab
program-typed-note = socklab typed each line marked "{ $mark }" into your program's standard input, as a person at its keyboard would, and it is shown where socklab typed it. It is not something your program printed, and no check counts it.
exercise-passed = All { $total } checks passed.
exercise-failed = { $passed } of { $total } checks passed.
junit-not-run = not run: an earlier check failed
kernel-program = { $actor } (your program)

## The glossary.

glossary-title = socklab · glossary
glossary-intro = The terms the lessons use, in English and Chinese (`--lang zh` explains them in Chinese). TCP's states and flags keep the names RFC 9293 and Wireshark give them, in both languages.
state-gloss = { $term }: { $explain }

## The congestion view (tcp-congestion; hold mode): the sender's kernel
## read with getsockopt(TCP_INFO), and the rule that explains a change.
## $s: the actor whose kernel was read.

summary-lost = , { $count } lost
summary-sent-lost = { $all ->
    [1] {" "}Every one was lost on the wire.
   *[0] { $lost ->
        [one] {" "}One of them was lost on the wire.
       *[other] {" "}{ $lost } of them were lost on the wire.
    }
}
summary-sent-reordered = { $all ->
    [1] { $count ->
        [one] {" "}It came after later bytes of the stream: held up on the way, not resent.
       *[other] {" "}All of them came after later bytes of the stream: held up on the way, not resent.
    }
   *[0] { $count ->
        [one] {" "}One of them came after later bytes of the stream: held up on the way, not resent.
       *[other] {" "}{ $count } of them came after later bytes of the stream: held up on the way, not resent.
    }
}
congestion-whose = { $s }'s kernel
congestion-whose-now = { $s }'s kernel now
congestion-head = { $whose } (TCP_INFO, { $algorithm }):
congestion-unacked = unacked { $unacked }
congestion-counts-sack = sacked { $sacked } · lost { $lost } · resent, not yet acknowledged { $retrans }
congestion-counts-dupacks = duplicate ACKs { $sacked } · lost { $lost } · resent, not yet acknowledged { $retrans }
congestion-out-of-step = (read as the step ended: the kernel had counted other segments than the capture shows, so this reading may not belong right after the packets above)
congestion-first-initial = the initial window: { $s }'s kernel may send { $cwnd } segments before the first ACK comes back (RFC 6928). The state is Open and ssthresh is not set yet ("infinite"), so the window grows by slow start.
congestion-first = the first reading of this connection.
congestion-slow-start-reached = slow start: { $delivered } segments acknowledged, each adding one segment to the window, until it reached ssthresh: { $from } → { $to } (RFC 5681 §3.1). From here on it grows by congestion avoidance.
congestion-slow-start-capped = slow start: { $delivered } segments acknowledged, and the window grew { $from } → { $to }: one segment for each (RFC 5681 §3.1), up to twice what { $s } had in flight. Linux grows it no further while it is not full.
congestion-slow-start = slow start: each of the { $delivered } segments acknowledged since the last reading added one segment to the window, { $from } → { $to } (RFC 5681 §3.1). A whole window is acknowledged every round trip, so the window doubles every round trip.
congestion-avoidance = congestion avoidance: the window has reached ssthresh, so it grows by one segment only once a whole window of segments has been acknowledged (RFC 5681 §3.1, equation 3): { $from } → { $to } after { $delivered } acknowledged. About one segment per round trip: a straight line, where slow start doubled.
congestion-avoidance-cubic = congestion avoidance, CUBIC: the window follows a curve of the time since the loss, W(t) = C·(t − K)³ + W_max (RFC 9438 §4.2). It climbs fast back towards W_max, the window at the loss, levels off near it, then probes beyond. { $s }'s kernel measures that time in ticks of its clock, so the numbers marked ◷ may differ by a segment or more from one run to the next.
congestion-waiting-done = everything sent is acknowledged, and there is nothing more to send: the window stays at { $cwnd }.
congestion-waiting = nothing acknowledged since the last reading: the window stays at { $cwnd }, and { $unacked } segments wait for their ACK.
congestion-disorder = Disorder: duplicate ACKs or SACK blocks came, too few yet to call a segment lost (RFC 5681 §3.2 waits for the third). The window stays at { $cwnd }.
congestion-recovery-sack = fast retransmit and fast recovery: duplicate ACKs and SACK blocks showed a segment lost (RFC 5681 §3.2; Linux decides with RACK, RFC 8985), { $s } resent it at once, and its kernel entered recovery (with SACK, RFC 6675). { $cut } While recovery lasts, the window comes down to ssthresh step by step, about one new segment sent for every two that leave the network (Proportional Rate Reduction, RFC 6937): cwnd { $cwnd } now.
congestion-recovery = fast retransmit and fast recovery: at the third duplicate ACK { $s }'s kernel took the segment for lost and resent it at once (RFC 5681 §3.2), and entered recovery (NewReno, RFC 6582: without SACK, each duplicate ACK counts as one segment that left the network). { $cut } While recovery lasts, the window comes down to ssthresh step by step, about one new segment sent for every two that leave the network (Proportional Rate Reduction, RFC 6937): cwnd { $cwnd } now.
congestion-still-recovering-done = everything is acknowledged, the resent segment too, yet the kernel still says Recovery: without SACK, Linux leaves it only when an ACK covers data sent after the loss was found, so that duplicate ACKs left over from before cannot set off another fast retransmission (RFC 6582 §3.2). cwnd { $cwnd }, ssthresh { $ssthresh }.
congestion-still-recovering = still in recovery: the resent segment is on its way. Each duplicate ACK said that one more segment had left the network, and { $s } sent about one new segment for every two (Proportional Rate Reduction, RFC 6937), so the window came down to cwnd { $cwnd }, towards ssthresh ({ $ssthresh }).
congestion-recovered = recovery is over: an ACK covered everything that was in flight when the loss was found. The window starts again from ssthresh, { $ssthresh } (RFC 6937 §3), and grows from here by congestion avoidance.
congestion-recovered-cubic = recovery is over: an ACK covered everything that was in flight when the loss was found. The window started again from ssthresh, { $ssthresh } (RFC 6937 §3), and grows from here on CUBIC's curve, by the kernel's clock (◷).
congestion-timeout = retransmission timeout: no ACK came back before { $s }'s retransmission timer ran out (RFC 6298 §5), so its kernel takes every segment in flight for lost (the Loss state) and resends the first. { $cut } The window falls to { $cwnd }: the loss window of one segment (RFC 5681 §3.1). It grows again by slow start, and the segments taken for lost go out again as it grows.
congestion-still-lost-done = every segment taken for lost has been resent and acknowledged, yet the kernel still says Loss: without SACK, Linux leaves it only when an ACK covers data sent after the timeout, so that duplicate ACKs of segments sent before it cannot set off a fast retransmission (RFC 6582 §4). cwnd { $to }, ssthresh { $ssthresh }.
congestion-still-lost-flat = still in the Loss state, but the window has reached ssthresh ({ $ssthresh }): it grows by congestion avoidance now, and stays at { $to } until a whole window of segments has been acknowledged (RFC 5681 §3.1).
congestion-still-lost-avoidance = still in the Loss state, but the window has reached ssthresh ({ $ssthresh }): it grows by congestion avoidance now, { $from } → { $to } (RFC 5681 §3.1).
congestion-still-lost = still in the Loss state: each resent segment acknowledged added one segment to the window, { $from } → { $to }, slow start again (RFC 5681 §3.1) up to ssthresh, { $ssthresh }; the segments taken for lost go out as it grows.
congestion-loss-recovered-below = every segment sent before the timeout has been acknowledged: the Loss state ends. The window, { $cwnd }, is still below ssthresh ({ $ssthresh }): slow start goes on.
congestion-loss-recovered = every segment sent before the timeout has been acknowledged: the Loss state ends. The window has reached ssthresh ({ $ssthresh }): congestion avoidance from here.
congestion-slow-start-ended = slow start ended without a loss: CUBIC's HyStart, a Linux addition (RFC 9438 §4.10 allows it), saw the round trip grow, a sign of a queue filling, and set ssthresh to the window, { $ssthresh }.
congestion-undone = the cut is undone: { $s }'s kernel found that the segment it resent had not been lost after all (the first copy's ACK came: the timestamps or a D-SACK said so, RFC 3522 and RFC 3708), so it put the window back, { $cwnd }, with ssthresh unset again.
congestion-undone-ssthresh = the cut is undone: { $s }'s kernel found that the segment it resent had not been lost after all (the first copy's ACK came: the timestamps or a D-SACK said so, RFC 3522 and RFC 3708), so it put the window back, { $cwnd }, and ssthresh, { $ssthresh }.
congestion-unexplained = { $algorithm } sets its window by rules of its own, not RFC 5681's: socklab shows its numbers, and explains only Reno and CUBIC (choose one with setsockopt TCP_CONGESTION).
congestion-reduced = CWR: the window is reduced to { $cwnd } without a loss: an ECN congestion signal (RFC 3168) or the host's own full queue.
congestion-short-slow-start = slow start: { $from } → { $to }, one segment for each of { $delivered } acknowledged.
congestion-short-avoidance = congestion avoidance: { $from } → { $to } after { $delivered } acknowledged.
congestion-short-avoidance-cubic = congestion avoidance on CUBIC's curve, by the kernel's clock (◷).
congestion-short-unexplained = { $algorithm }: its numbers only; socklab explains Reno and CUBIC.
congestion-short-still-recovering = still in recovery: cwnd { $cwnd }.
congestion-short-still-lost = still in the Loss state, slow start again: { $from } → { $to }.
congestion-cut-half-whole = Reno halves the window: ssthresh = max(cwnd / 2, 2) = max({ $before } / 2, 2) = { $expected }. RFC 5681's equation 4 says max(FlightSize / 2, 2), the same here: the whole window, { $flight } segments, was in flight.
congestion-cut-half = Reno halves the window: ssthresh = max(cwnd / 2, 2) = max({ $before } / 2, 2) = { $expected }. RFC 5681's equation 4 says max(FlightSize / 2, 2), which for the { $flight } segments in flight at the last reading gives { $rfc5681 }.
congestion-cut-cubic = CUBIC keeps 70% of the window where Reno keeps half: ssthresh = cwnd × β_cubic = { $before } × 717 / 1024 = { $expected } (RFC 9438 §4.6, β_cubic = 0.7).
congestion-cut-other = { $algorithm } set ssthresh to { $ssthresh }.
congestion-check-recovery = ✓ the kernel's ssthresh is { $ssthresh }, as the rule gives.
congestion-check-timeout = ✓ the kernel's ssthresh is { $ssthresh } and its cwnd { $cwnd }, as the rules give.
congestion-check-loss-window = ≠ the kernel's cwnd is { $cwnd }, not the loss window of one segment.
congestion-check-cut = ≠ the kernel's ssthresh is { $ssthresh }, where the rule gives { $expected } for the window of the last reading, { $cwnd }: the window moved between the reading and the loss.
congestion-check-fits = ✓ the kernel's numbers fit that rule.
congestion-check-differs = ≠ the kernel's numbers do not fit that rule.
chart-caption = The congestion window of { $socket } ({ $actor }'s socket, { $algorithm }), in segments, as its kernel gave it between round trips:
# The socket is named after its algorithm: the name once.
chart-caption-same = The congestion window of { $socket } ({ $actor }'s socket), in segments, as its kernel gave it between round trips:
chart-slow-start = S slow start
chart-avoidance = A congestion avoidance
chart-disorder = D disorder
chart-recovery = R fast recovery
chart-loss = L loss (after a timeout)
chart-cwr = C reduced (CWR)
chart-ssthresh = - ssthresh, where above the bar
chart-clock = Right of ┆: readings that depend on the kernel's clock (CUBIC's curve, RFC 9438 §4.2); they differ a little from run to run.
cc-slow-start = slow start
cc-avoidance = congestion avoidance
cc-recovery = fast recovery
cc-loss = loss (timeout)
cc-to-avoidance = slow start → congestion avoidance: cwnd has reached ssthresh (RFC 5681 §3.1).
cc-to-recovery = → fast recovery: three duplicate ACKs say a segment is lost; back to congestion avoidance when it is repaired (RFC 5681 §3.2, RFC 6582, RFC 6675).
cc-to-loss = → loss: the retransmission timer ran out, from any state; cwnd is one segment, and slow start begins again (RFC 6298 §5).
cc-numbers = cwnd { $cwnd } · ssthresh { $ssthresh } · Linux: { $state }
tui-congestion = Congestion control: { $socket }, { $actor }'s socket ({ $algorithm })
tui-congestion-short = { $phase }: cwnd { $cwnd } · ssthresh { $ssthresh }
watch-congestion-unread = The kernel's congestion window of these connections is not shown: their sockets belong to programs socklab did not start, in the machine's own network namespace, and socklab asks a kernel only about the sockets of its own namespaces (a lesson's). `ss -ti` prints it for them.
error-no-hold = lesson `{ $id }` does not run in hold mode: { $why }
error-hold-loopback = lesson `{ $id }` runs on the loopback, which cannot hold packets: --hold needs a lesson on the lab wire (tcp-handshake-held, tcp-retransmission, …)
error-no-ipv6 = lesson `{ $id }` does not run over IPv6: { $why }
error-no-ipv6-lesson = lesson `{ $id }` names `ipv6_lesson = "{ $other }"`, which is not a lesson
error-all-one-file = --pcap and --mermaid name one file, so they go with one lesson, not --all
## The TCP state diagram (RFC 9293 §3.3.2, Figure 5): `socklab states` and the classroom view (--tui). The events and actions on its arrows are the RFC's words.

tcp-do-passive-open = passive OPEN
tcp-do-active-open = active OPEN
tcp-do-close = CLOSE
tcp-do-send = SEND
tcp-do-create-tcb = create TCB
tcp-do-delete-tcb = delete TCB
tcp-do-rcv-syn = rcv SYN
tcp-do-rcv-syn-ack = rcv SYN,ACK
tcp-do-rcv-ack-of-syn = rcv ACK of SYN
tcp-do-rcv-fin = rcv FIN
tcp-do-rcv-ack-of-fin = rcv ACK of FIN
tcp-do-rcv-rst = rcv RST
tcp-do-snd-syn = snd SYN
tcp-do-snd-syn-ack = snd SYN,ACK
tcp-do-snd-ack = snd ACK
tcp-do-snd-fin = snd FIN
tcp-do-snd-rst = snd RST
tcp-do-timeout = Timeout=2MSL
tcp-do-nothing = x
tcp-transition-label = { $event } / { $actions }
tcp-then = { $first }, then { $then }
states-title = The TCP state diagram (RFC 9293 §3.3.2, Figure 5). C and S mark the client's and the server's state in the classroom view (--tui).
states-transitions = Its arrows: the event that takes a connection from one state to the next / what TCP does then (x: nothing is sent).
states-not-drawn = Not drawn: a reset (RST) takes any state to CLOSED (RFC 9293 §3.10.7); a FIN that also acknowledges ours takes FIN-WAIT-1 through FIN-WAIT-2 to TIME-WAIT at once (§3.10.7.4).
tui-no-terminal = --tui draws a full-screen view and needs a terminal for its input and output; here one of them is not a terminal. Leave out --tui for the text output, which a pipe or a file can take.
tui-terminal-failed = cannot set up the terminal for --tui: { $error }
tui-step = Step { $step } of { $total } · { $title }
tui-calls = The calls
tui-ladder = The packets
tui-states = TCP states (RFC 9293 §3.3.2)
tui-kernel = The kernel's view
tui-kernel-read = The kernel's view, read after step { $step }
tui-no-kernel = Not read yet.
tui-no-tcp = No TCP connection yet: its states light up here with its first packet.
tui-udp-title = UDP: datagrams, no states
tui-udp = UDP has no connection and no states: no handshake, nothing kept between datagrams, nothing at close. Each datagram stands alone; the kernel's view shows each socket's address.
tui-udp-datagrams = { $from } → { $to }: { $count ->
    [one] one datagram
   *[other] { $count } datagrams
}, { $bytes } bytes
tui-legend = C: { $client } · S: { $server } · heavy arrows: the last packet's transitions
tui-endpoint-moved = { $mark } { $name }: { $before } → { $after } ({ $label })
tui-endpoint-stays = { $mark } { $name }: { $state }
tui-status = step { $step } of { $total } · packet { $packet } of { $packets }
tui-status-packets = packet { $packet } of { $packets }
tui-no-kernel-capture = A capture file holds packets only: no kernel view.
tui-status-past = looking back: n goes forward
tui-status-end = the end
tui-keys = n → next · b ← back · N g step · r again · q quit · ? keys
tui-help = n, → or Enter: next packet · b or ←: back one packet · a number then g: to that step · r: this step again · q: quit · ?: these keys

## Errors a command ends with: files it cannot read or write, a sandbox
## or a lab network it cannot build.

error-cannot-read = cannot read { $path }: { $error }
error-cannot-write = cannot write { $path }: { $error }
error-output = cannot write the output: { $error }
error-some-failed = { $failed } of { $total } lessons did not complete
error-replay-stopped = { $stopped }; the { $frames } frames before it were replayed
error-no-lesson-files = { $path } holds no lesson files (*.toml)
error-not-a-capture = { $path } is not a capture file socklab can read (pcap or pcapng): { $reason }
error-capture-stopped = { $path }: frame { $frame }: { $reason }
error-frame = frame { $frame }: { $reason }
error-write-capture = cannot write the capture file { $path }: { $error }
error-no-interface = no network interface named `{ $name }`
error-capture-no-rights = socklab may not capture packets here (opening an AF_PACKET socket: { $error }). It needs CAP_NET_RAW inside its sandbox; see `socklab run --help` for the ways to get it
error-capture-open = cannot start the packet capture on `{ $iface }`: { $error }
error-watch-no-rights = socklab watch reads the packets on `{ $iface }`, which needs the right to capture (CAP_NET_RAW): { $error }. Run it as root (`sudo socklab watch …`), or give the binary that right once: `sudo setcap cap_net_raw+ep { $exe }`
error-recording-empty = { $path } is empty: a recording starts with a line that says so
error-not-a-recording = { $path } is not a socklab recording (its first line should be {"{"}"socklab":"recording",…{"}"}; `socklab run LESSON --record FILE` makes one)
error-recording-newer = { $path } was recorded by socklab { $version } in recording format { $format }; this socklab reads format { $supported }: show it with that version, or record the lesson again
error-recording-damaged = { $path }:{ $line }: damaged line, not an event of a recording ({ $message })
recording-event-version = its events are of version { $v }, and a recording of format { $format } holds version { $events }
error-unknown-exercise = there is no exercise `{ $id }`{ $hint }
hint-exercise-did-you-mean = ; did you mean `{ $near }`? (`socklab exercise list`)
hint-exercise-list = ; `socklab exercise list` shows them
error-exists = { $path } exists already: socklab does not overwrite it (give another file name)
error-scratch = cannot prepare the program's folder: { $error }
error-no-command = give the command that runs your program after `--`, for example `socklab exercise check { $id } -- python3 my_program.py`
error-no-program-file = there is no file `{ $file }` in { $dir }: give its path from there, or write it first (`socklab exercise start { $id } { $file }` writes a starter)
exercise-not-an-exercise = a lesson, not an exercise: it has no `[exercise]` table
error-cannot-start = cannot start `{ $command }`: { $error }
error-empty-command = the command is empty
error-no-scratch-name = no free name for a scratch folder
error-lab-network = cannot build the lab network ({ $step }): { $error }
lab-step-ipv6-off = disabling IPv6 on the wire
lab-step-namespace = a namespace for { $actor }
lab-step-loopback = { $actor }'s loopback
lab-step-cable = the cable to { $actor }
lab-step-eth0 = { $actor }'s eth0
lab-step-wire-end = the wire's end { $end }
lab-step-link-up = { $actor }'s eth0 coming up (the kernel's word that it has carrier)
lab-step-wake = the switch's wake-up
lab-step-switch = the wire's switch
error-no-sandbox = every lesson runs in a private network namespace, and none could be created here ({ $attempts }).
    Any one of these fixes it:
      1. run socklab as root, e.g. `sudo socklab run LESSON`;
      2. allow unprivileged user namespaces: `sudo sysctl -w user.max_user_namespaces=15000` (on Debian before 11 also `kernel.unprivileged_userns_clone=1`; on Ubuntu 24.04 and later `kernel.apparmor_restrict_unprivileged_userns=0`);
      3. give the binary the capabilities it needs: `sudo setcap cap_sys_admin,cap_net_admin,cap_net_raw+ep { $exe }`.
sandbox-attempt-network = network namespace: { $error }
sandbox-attempt-user = user namespace: { $error }
error-sandbox-setup = socklab created its sandbox but could not set it up ({ $step }: { $error })
sandbox-step-lo-up = bringing up lo
sandbox-step-socket-table = giving the sandbox its own TCP socket table
sandbox-step-tso-off = turning off TSO on lo
sandbox-step-gso-off = turning off GSO on lo
check-no-problems = { $files ->
    [one] { $files } lesson file checked: no problems.
   *[other] { $files } lesson files checked: no problems.
}
check-problems = { $files ->
    [one] { $files } lesson file
   *[other] { $files } lesson files
} checked: { $problems ->
    [one] { $problems } problem.
   *[other] { $problems } problems.
}

## Why a capture file, or one of its frames, cannot be read.

capture-empty = the file is empty
capture-too-short = the file is shorter than any capture header
capture-pcapng-header-short = the pcapng section header is cut short
capture-pcapng-no-magic = the pcapng section header has no byte-order magic
capture-pcapng-version = pcapng version { $major } (socklab, like libpcap, reads version 1)
capture-pcapng-header-length = the pcapng section header's length ({ $len } bytes) is impossible
capture-unknown-magic = its first bytes are neither a pcap nor a pcapng header
capture-pcap-header-short = the pcap file header is cut short
capture-pcap-version = pcap version { $major }.{ $minor } (socklab, like Wireshark, reads 2.x)
capture-cut = the file ends in the middle of this frame: it was cut short
capture-read-on = cannot read on: { $error }
capture-record-too-big = its record says { $caplen } bytes were captured, more than any frame could hold: the file is damaged from here
capture-block-length = a pcapng block's length ({ $len } bytes) is impossible: the file is damaged from here
capture-section-no-magic = a new pcapng section has no byte-order magic: the file is damaged from here
capture-section-length = a pcapng section header's length ({ $len } bytes) is impossible: the file is damaged from here
capture-section-version = a new pcapng section has version { $major } (socklab reads version 1)
capture-packet-block-short = a packet block is shorter than its own header: the file is damaged from here
capture-packet-block-data = a packet block says it holds { $caplen } bytes but is only { $len } long: the file is damaged from here
capture-simple-block-short = a simple packet block is shorter than its own header: the file is damaged from here
frame-link-type = link type { $link }
frame-link-type-named = link type { $link } ({ $name })
frame-unread-link = { $link } is not one socklab reads: its frames are skipped
frame-unknown-interface = its packet block names an interface the file never described; its link type is unknown
frame-header-short = { $header } header cut short: it needs { $need } bytes, the frame has { $have } left
frame-radiotap-length = radiotap header says it is { $len } bytes long, the frame has { $have }
frame-vlan-tags = more than 16 VLAN tags: the frame makes no sense
frame-ip-version = { $header } header has IP version { $version }
frame-ipv4-header-length = IPv4 header length is { $header } bytes, less than the 20 every header has
frame-ipv4-total-length = IPv4 total length is { $total } bytes, less than its own { $header }-byte header
frame-empty = the frame is empty
frame-tcp-offset-small = TCP data offset is { $header } bytes, less than the 20 every header has
frame-tcp-offset-large = TCP data offset is { $header } bytes, more than the { $len } bytes of the segment

## The lesson checker (`socklab check`, and every lesson file loaded): one problem each, placed at its file, line and column. Backquoted words are the lesson format's own: keys, values and names from the file, never translated.
check-no-steps = a lesson needs at least one step ([[steps]])
check-no-ipv6-wire = its text is about IPv4 on the lab wire (10.0.0.x addresses, ARP).
check-id = lesson id `{ $id }` must be lower-case letters, digits and `-`
check-in-field = `{ $field }`: { $problem }
check-actor-name = actor name `{ $name }` must be a Python-style identifier
check-actor-twice = actor `{ $name }` is listed twice
check-two-actors = a lesson needs at least two actors (for example ["client", "server"])
check-ipv6-only-and-no-ipv6 = a lesson cannot be both `ipv6_only` and `no_ipv6`
check-ipv6-lesson-without-no-ipv6 = `ipv6_lesson` goes with `no_ipv6`, which says why this lesson does not run over IPv6
check-no-hold-on-loopback = `no_hold` says why a lesson on the lab wire cannot be held: this one runs on the loopback, which never holds packets anyway
check-no-hold-and-hold = a lesson cannot be both `[network] hold = true` and `no_hold`
check-no-hold-empty = `no_hold` says why, in a sentence
check-everyone-as-actor = `{ $everyone }` is the lab wire's broadcast address, not a name for an actor
check-fault-outside-step = a fault belongs to the step it acts in: move it into that step as `[[steps.faults]]`; its `nth` then counts from the start of the step, so that how long a learner takes cannot change which frame it hits
check-fault-without-network = faults happen on the lab wire: add a [network] table to use them
check-step-empty = a step's `{ $field }` must not be empty
check-in-question = the question: { $problem }
check-answer-given-away = the step's text gives away its question's answer ("{ $answer }"): it says "{ $words }" before the question is asked. Ask first, and tell in `after` or the question's `explain`
check-check-outside-exercise = `[steps.check]` belongs in an exercise (a file with `[exercise]`)
check-mtu-ipv6 = `mtu` { $mtu } is too small for IPv6, which needs at least 1280 (RFC 8200 §5)
check-language-code = `{ $code }` is not a language code (for example fr, de, pt-br)
check-mtu-range = `mtu` { $mtu } is out of range: IPv4 needs at least 576, and socklab allows up to 9000
check-latency-unknown-actor = `latency_ms` names `{ $name }`, which is not an actor
check-latency-too-long = `latency_ms` { $ms } is too long: socklab allows up to { $max } ms per cable, so that every step still ends within its bound
check-too-many-hosts = the lab wire has room for { $max } hosts
check-sysctl-not-net = sysctl `{ $name }`: only network settings (net.…) can be set per host
check-sysctl-value = sysctl `{ $name }`: `{ $value }` is not a number or a string
check-apart-unknown-actor = `apart` names `{ $name }`, which is not an actor
check-groups-need-ipv6 = multicast `groups` are IPv6 in socklab: add `ipv6_only = true` at the top of the lesson
check-group-name = group name `{ $name }` must be a Python-style identifier that is not an actor or `{ $everyone }`
check-group-not-ipv6 = group `{ $name }`: `{ $address }` is not an IPv6 address
check-group-not-link-local = group `{ $name }`: `{ $address }` is not a link-local multicast group (ff02::…): socklab's groups stay on the lab wire
check-group-all-nodes = group `{ $name }`: ff02::1 is every node of the link; send to `{ $everyone }` instead
check-fault-one-action = a fault needs exactly one of `drop`, `duplicate`, `delay`, `reorder`, `corrupt`, naming the frames it is aimed at (for example drop = "client > server ACK data")
check-delay-needs-ms = `delay` needs `ms`, from 1 to 2000
check-ms-without-delay = only `delay` takes `ms`
check-fault-unknown = `{ $fault }` is not a fault socklab knows
check-nth-and-every = give `nth` or `every`, not both
check-count-with-every = `count` goes with `nth` (that many frames in a row from the n-th), not with `every`
check-nth-from-one = `nth` and `every` count from 1
check-count-zero = `count` is how many frames in a row, at least 1
check-question-choices = a question needs at least two `choices`
check-question-answer = `answer` is the number of the right choice, from 1 to { $choices }
check-question-text = a question needs `ask` and `explain` text
check-chat-until = the chat's `lines` must end with `until` ("{ $until }"), or --auto would never stop
check-congestion-needs-wire = `congestion` reads the kernel between round trips, on the lab wire: add a [network] table with `latency_ms`
check-congestion-sender-far = `congestion` compares `{ $name }`'s kernel with the capture, which is taken at the switch: `{ $actor }`'s cable must have no latency (give it to the other hosts: latency_ms = {"{"} { $other } = 25 {"}"})
check-congestion-needs-latency = `congestion` reads the kernel between round trips: the wire needs a latency (`latency_ms` in [network]), so that round trips are apart
check-id-used = lesson id `{ $id }` is already used by { $other }
check-ipv6-lesson-missing = `ipv6_lesson` names `{ $id }`, which is not among these lessons
check-ipv6-lesson-not-ipv6 = `ipv6_lesson` names `{ $id }`, which is not a lesson for IPv6 (`ipv6_only = true`)

## The checker, on one call of a step (`calls = [...]`).
check-arg-string = `{ $key }` of `{ $op }` must be a string
check-arg-amount = `{ $key }` of `{ $op }` must be { $what }
check-amount-bytes = a number of bytes
check-amount-port = a port number, 0 to 65535
check-amount-number = a number
check-arg-flag = `{ $key }` of `{ $op }` must be true or false
check-arg-seconds = `{ $key }` of `{ $op }` must be a number
check-unknown-key-near = unknown key `{ $key }`: did you mean `{ $near }`?
check-unknown-key = unknown key `{ $key }`: a call has one operation ({ $operations }) and its arguments
check-no-operation = a call needs one operation key naming its socket, one of: { $operations }
check-several-operations = a call has one operation, this one has { $operations }
check-and = {" "}and{" "}
check-or = {" "}or{" "}
check-foreign-argument = `{ $op }` takes no `{ $arg }` (it takes: { $allowed })
check-operation-string = `{ $op }` names its socket with a string: { $op } = "server"
check-error-near = `error` names `{ $name }`: did you mean `{ $near }`?
check-error-unknown = `error` names `{ $name }`; socklab knows: { $known }
check-error-string = `error` names a Python exception, as a string
check-no-socket-near = no socket named `{ $name }`: did you mean `{ $near }`?
check-no-socket-yet = no socket named `{ $name }` yet: create it first with {"{"} socket = "{ $name }", type = "stream" {"}"}
check-closed = socket `{ $name }` is already closed
check-not-connected = `{ $name }` is not connected
check-settimeout-seconds = `settimeout` needs `seconds`
check-seconds-range = `seconds` must be between 0.01 and 3: every wait has a bound
check-already-bound = `{ $name }` is already bound or connected
check-bind-port = `bind` needs a `port`
check-bind-address = lessons bind to "" or "127.0.0.1" inside socklab's sandbox, not `{ $address }`
check-listen-unbound = `{ $name }` must be bound before it listens: a server needs a known port
check-accept-as = `accept` needs `as`, the name of the new socket
check-accept-not-listening = `{ $name }` must listen before it can accept
check-io-unconnected-tcp = `{ $name }` is not connected: TCP must connect (or be accepted) before `{ $op }`
check-io-unconnected-udp = `{ $name }` is not connected: UDP uses sendto(), or must connect before `{ $op }`
check-join-group = `join` needs `group`, a name from `[network] groups`
check-join-everyone = every IPv6 host is in `{ $group }` (ff02::1) already: no need to join it
check-join-unknown = `{ $group }` is not one of the lesson's `[network] groups`
check-socket-actor = socket `{ $name }` belongs to actor `{ $actor }`, which is not in `actors` ({ $actors }); add `actor = "…"`
check-socket-type-near = socket type `{ $kind }` is not known: did you mean "{ $near }"?
check-socket-type-unknown = socket type `{ $kind }` is not known: use "stream" (TCP) or "dgram" (UDP)
check-socket-type-missing = `socket` needs `type`: "stream" (TCP) or "dgram" (UDP)
check-names-near = `{ $key }` names `{ $name }`: did you mean `{ $near }`?
check-names-unknown-socket = `{ $key }` names `{ $name }`, which is not a socket of this lesson
check-needs-tcp = `{ $key }` needs a TCP (stream) socket, and `{ $name }` is not one
check-needs-connected = `{ $key }` needs `{ $name }` connected (or accepted) and still open after the step's calls
check-chat-sockets = a chat needs two connected TCP sockets, and `{ $name }` is not one here
check-socket-name = socket name `{ $name }` must be a Python-style identifier
check-socket-exists = a socket named `{ $name }` already exists
check-needs-to = this call needs `to`, the socket (or actor, with `port`) it goes to
check-group-broadcast = IPv6 has no broadcast: `{ $to }` is a multicast group; remove `broadcast = true`
check-group-tcp = `{ $to }` is a multicast group: only UDP can send to it
check-group-port = sending to group `{ $to }` needs a `port`
check-port-to-actor = with `port`, `to` names an actor ({ $actors }), not `{ $to }`
check-ipv6-broadcast = IPv6 has no broadcast: send to `{ $everyone }` (the all-nodes group) instead
check-everyone-needs-broadcast = `{ $to }` is the broadcast address: add `broadcast = true`
check-broadcast-needs-port = `broadcast = true` needs `to` (an actor) and `port`
check-to-unknown = `to` names `{ $to }`, which is not a socket of this lesson
check-to-other-kind = `{ $to }` is not the same kind of socket (TCP/UDP)
check-to-unbound = `{ $to }` has no known port: bind it first
check-op-needs-tcp = `{ $op }` needs a TCP (stream) socket, and `{ $name }` is not one
check-op-needs-udp = `{ $op }` needs a UDP (datagram) socket, and `{ $name }` is not one
check-repeat-zero = `repeat` must be at least 1
check-text-and-time = give `text` or `time = true`, not both
check-text-time-file = give `text`, `time = true` or `file`, only one
check-needs-text = `{ $op }` needs `text`, the string to send
check-setsockopt-option = `setsockopt` needs `option`, e.g. "SO_REUSEADDR"
check-congestion-value = `{ $option }` takes the algorithm's name as `value`: { $algorithms }
check-congestion-near = congestion control `{ $algorithm }` is not one socklab explains: did you mean `{ $near }`?
check-congestion-unknown = congestion control `{ $algorithm }` is not one socklab explains: { $known }
check-option-near = option `{ $option }` is not one socklab knows: did you mean `{ $near }`?
check-option-unknown = option `{ $option }` is not one socklab knows: { $known }

## The checker, on expectations, placeholders in prose, and translations.
check-expect-grammar = expectation `{ $text }` should read `FROM > TO WHAT`, for example `client > server SYN`
check-expect-actor = expectation `{ $text }` names `{ $name }`, which is not an actor ({ $actors })
check-expect-itself = expectation `{ $text }` goes from `{ $name }` to itself
check-expect-empty = expectation `{ $text }` says nothing about the packet: add flags (SYN, ACK, …) or UDP
check-expect-flag = `{ $flag }` in `{ $text }` is not SYN, ACK, FIN, RST, PSH, data, win=0, UDP or ICMP
check-prose-close = a `{"}"}` without its `{"{"}`: a placeholder is written `{"{"}python: b'' | rust: Ok(0){"}"}`
check-prose-open = a `{"{"}` without its `{"}"}`: a placeholder is written `{"{"}python: b'' | rust: Ok(0){"}"}`
check-prose-nested = placeholders cannot be nested
check-prose-missing-language = the placeholder `{"{"}{ $inner }{"}"}` has no words for `{ $language }`: write them for both languages, `{"{"}python: … | rust: …{"}"}`
check-prose-not-placeholder = `{"{"}{ $inner }{"}"}` is not a placeholder: write `{"{"}python: … | rust: …{"}"}`, each language followed by a colon
check-prose-language = `{ $language }` in `{"{"}{ $inner }{"}"}` is not a language the code is shown in (python, rust)
check-prose-twice = `{ $language }` is given twice in `{"{"}{ $inner }{"}"}`
check-tr-lacks = translation `{ $lang }` lacks { $what }
check-tr-exercise-table = `[translations.LANG.exercise]` (the exercise's task, contract and hints)
check-tr-hints = translation `{ $lang }`: the exercise has { $hints } hints, the translation { $translated }
check-tr-starter-code = translation `{ $lang }`: `exercise.starter` translates only the starter's comments: its line { $line } should be `{ $code }`, as in the starter
check-tr-starter-extra = translation `{ $lang }`: `exercise.starter` translates only the starter's comments: its line { $line } is code the starter does not have
check-tr-not-exercise = translation `{ $lang }` has an `exercise` table, and the lesson is no exercise
check-tr-steps = translation `{ $lang }` has { $translated } steps ([[translations.{ $lang }.steps]]), the lesson { $steps }: one per step, in order
check-tr-step = translation `{ $lang }`, step { $number }: { $problem }
check-tr-missing = { $what } is missing
check-tr-missing-question-field = the question's `{ $field }` is missing
check-tr-no-after = the step has no `after` to translate
check-tr-choices = the question has { $choices } choices, the translation { $translated }
check-tr-no-translated-question = the question is missing
check-tr-no-question = the step has no question to translate
check-tr-given-away = the step's text gives away its question's answer ("{ $answer }"): it says "{ $words }" before the question is asked
check-tr-no-fail = the step has no check `fail` to translate

## The checker, on an exercise's tables (`[exercise]`, `[steps.check]`), and on what TOML and its reader say.
check-ex-program = `program = "{ $program }"` is not an actor ({ $actors })
check-ex-file-large = file `{ $name }` is larger than 16 MiB
check-ex-file-content = file `{ $name }` needs `text` or `size` (bytes of numbered lines), one of them
check-ex-file-name = file name `{ $name }` must be a plain name (letters, digits, `.`, `_`, `-`), no folder
check-ex-seconds = `seconds` must be between 1 and 120
check-ex-start = `start` takes `listen` or `bind`, not both
check-ex-received-both = give `received` or `received_file`, not both
check-ex-received-without-recv = `received` compares what a receiving call got, and this step has none (recv, recv_all, recvfrom)
check-ex-running-exits = `running` and `exits` ask for opposite things: give one
check-ex-earlier-not-expected = `may_come_earlier` names '{ $text }', which is not one of this step's expected packets (`expect`): only an expected packet may come in an earlier step
check-ex-starts = one step must start the program (`[steps.check] start = …`); { $starts } do
check-ex-program-socket = step { $number }: socket `{ $name }` belongs to `{ $actor }`, the learner's program: socklab makes calls only for the other actors
check-ex-no-file = step { $number }: no file `{ $name }` in `[exercise] files`
check-toml = { $problem }
check-unknown-field-near = unknown field `{ $field }`: did you mean `{ $near }`?
check-unknown-field = unknown field `{ $field }`, expected one of { $expected }
check-missing-field = missing field `{ $field }`
check-invalid-type = invalid type: { $found }, expected { $expected }

## An exported program's comments (`run --export FILE`): its header, and a line before each step's calls.
export-title = socklab lesson { $id }: { $title }
export-prints-python = Each print() prints what the >>> prompt echoed there.
export-prints-rust = Each println! prints what a comment of the lesson said there.
export-one-program = The code `{ $command }` shows, in order, as one program. { $prints }
export-run-it = Run it as socklab does, in a network namespace of its own (its ports are fixed; ports, times and sequence numbers differ from run to run):
export-cargo = { $file } as src/main.rs of a package PACKAGE
export-host-calls = The calls of host { $host } ({ $address }) in the code `{ $command }` shows, in order. { $prints }
export-other-hosts = On socklab's lab wire every actor is a host of its own; the other hosts' calls are in { $files }. socklab makes all the calls one after another, in the lesson's order, and its wire does what the lesson's faults say to the frames between the hosts. These programs, started on real hosts, run at the same time and on a wire that loses nothing on purpose: what they print then depends on which gets where first. Read them beside the lesson, or run them on hosts with these addresses, starting each one before the calls of another need it.
export-step = Step { $step } of { $total } · { $title }
