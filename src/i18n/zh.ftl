# socklab 自己的句子，简体中文版。源文本是 en.ftl；每条消息在这里都有，
# 且使用完全相同的参数（有测试检查）。参数：$s 是发出数据包的一方，$r 是
# 它发往的一方。
#
# ── 译者须知（课程正文的译者也请遵守）──────────────────────────────────
#
# 目标：像中文 Python 网络编程教程（“TCP 与 UDP”那一类）那样写，教科书
# 口吻，通顺自然，不逐字硬译。称呼读者用“你”。
#
# 一、保持原样，不翻译：
#   * 标志位：SYN、ACK、FIN、RST、PSH，箭头上的组合写法 SYN,ACK、FIN,ACK。
#   * TCP 状态名按 RFC 9293：CLOSED、LISTEN、SYN-SENT、SYN-RECEIVED、
#     ESTABLISHED、FIN-WAIT-1、FIN-WAIT-2、CLOSE-WAIT、CLOSING、LAST-ACK、
#     TIME-WAIT（中文释义见 glossary.toml，正文里不写中文状态名）。内核视图
#     里的 SYN_RECV、TIME_WAIT 是 Linux 的写法，也照抄。
#   * 字段与数值：seq=0、ack=1、win=0、len=5、ISN、MSS、MTU、TTL、RTT、
#     RTO、SACK、wscale；RFC 编号与章节：RFC 6298 §2.1。
#   * 代码与调用：recv()、connect()、sendto()、b''、Ok(0)、SO_REUSEADDR、
#     SO_BROADCAST、AF_INET6、`ip neigh`、`socklab list`。
#   * Wireshark 的分析标签保留英文，因为学习者在 Wireshark 里看到的就是它：
#     “Wireshark 标记为 TCP Window Update。”
#   * 角色名 client、server、alice、bob 是程序里的变量名，不翻译；泛指角色
#     时才用“客户端”“服务器”。
#   * 行首符号照留：①②③④、✗ ⧉ ⏱ ⇄ ⚡ ✓ ≠、…；以空格开头或结尾的消息
#     （{" "}）保留那个空格，因为它们要和别的文字拼接。
#
# 二、术语（完整列表及解释见 src/i18n/glossary.toml）：
#   三次握手（教材里也叫“三报文握手”） 四次挥手 握手 ①②③ 挥手 ①②③④
#   报文段 (segment)  数据报 (datagram)  数据包 (packet)  帧 (frame)
#   序号  确认号  初始序号（ISN）  确认 (acknowledge，动作)  ACK（标志/报文）
#   窗口 / 接收窗口  零窗口  窗口更新  零窗口探测  流量控制  拥塞控制
#   重传  快速重传  虚假重传  重传计时器  超时  重复 ACK  延迟确认
#   选择确认（SACK）  乱序  保活（keep-alive）  校验和  时间戳  往返时间
#   套接字  端口  临时端口  回环  绑定  监听  接受 (accept)  连接  对端
#   内核  抓包 / 捕获  广播  组播  半开连接  全连接队列（accept 队列）
#   半连接队列（SYN 队列）  字节流  消息边界  缓冲区  首部  分片 / 重组
#   邻居发现  邻居请求  邻居通告  被请求节点组播组  所有节点组
#   线路 (wire)  实验线路 (lab wire)  扣留 / 放行 (hold / let go)  沙箱
#   会话 (conversation)  回放 (replay)  监视 (watch)
#
# 三、标点：
#   * 中文句子用全角标点：，。：；？！（）“”，列举用顿号“、”
#     （SYN、SYN,ACK、ACK；RFC 791 §2.3、RFC 8200 §4.5）。
#   * 代码、数值、地址、区间、公式内部保留半角：ack = FIN 的 seq + 1、
#     127.0.0.1:5000、(host, port, flowinfo, scope_id)、1-{ $choices }、
#     第 { $first }–{ $last } 字节（en dash 两边不加空格）。
#   * 程序名前缀照 GNU 中文界面的惯例用半角冒号：“socklab: 已中断……”。
#
# 四、空格（全文一致）：
#   * 中文与英文单词、数字、代码、{ $… } 占位符之间加一个半角空格：
#     “发送 5 字节”“{ $s } 的内核”“调用 recv() 时”“握手 ①：”。
#   * 全角标点两侧不加空格：“ESTABLISHED：三个数据包”“（ISN）”。
#   * 数字和单位之间加空格：60 秒、1500 毫秒、5 字节。正文里写“秒”“毫秒”，
#     只有梯形图时间列的表头保留 ms。
#
# 五、数量与复数：
#   * 中文没有复数。量词：N 字节、第 N 字节、N 个报文段、N 个数据包、
#     N 个 ACK、N 帧、N 个数据报、N 个副本、N 个会话、N 课。
#   * 英文的选择器 { $len -> [one] … *[other] … } 在中文里一般直接写
#     “{ $len } 字节”，但参数集合必须与英文完全相同。
#   * 确实需要区分“1 个”时用数值键 [1]（或 [0]），不要用 [one]：中文的
#     复数类别只有 other，[one] 永远不会命中。
#
# 六、课程文件（lessons/*.toml）里的中文：
#   * 显示时，段落内两个汉字（或全角标点）之间的换行会被去掉，其他换行都
#     变成一个空格。所以可以在两个汉字之间换行，也可以在中文与英文、数字之间
#     本来就有空格的地方换行；但不要在全角标点后面、紧接着英文或数字的地方
#     换行（会多出一个空格）。
#   * 课程英文正文把握手第二步写作 SYN+ACK（教程的写法），照原文即可；
#     梯形图上的箭头和本文件写作 SYN,ACK。

## 名字列表中各项之间的分隔符（i18n::listed）。
list-separator = 、

test-number = { $n }

## 梯形图上的注释：一个数据包的含义。每种注释有完整版（这种注释第一次
## 出现时显示）和简短版（之后显示）。

note-handshake-syn = 握手 ①：{ $s } 请求与 { $r } 建立连接。seq=0 就是 { $s } 的初始序号（ISN）：这个数由内核随机选取，socklab 和 Wireshark 一样把它记作 0，从它开始计数。
brief-handshake-syn = 握手 ①：{ $s } 请求与 { $r } 建立连接。
note-handshake-syn-ack = 握手 ②：{ $s } 同意建立连接。同一个报文段里既有它自己的 SYN（seq=0，从它自己随机选取的 ISN 算起），又有 ack=1：“你的 SYN 收到了，接下来请发第 1 字节”。
brief-handshake-syn-ack = 握手 ②：{ $s } 同意：SYN,ACK。
note-handshake-ack = 握手 ③：{ $s } 确认 { $r } 的 SYN（ack=1）。两端都进入 ESTABLISHED：三个数据包，连接就建立了。
brief-handshake-ack = 握手 ③：{ $s } 确认；连接已建立。
note-data = { $s } 发送了 { $len } 字节数据，即它字节流中的{ $len ->
    [1] 第 { $first } 字节
   *[other] 第 { $first }–{ $last } 字节
}。
brief-data = { $s } 发送第 { $first }–{ $last } 字节。
note-ack = { $s } 确认：第 { $next } 字节之前的所有字节都已收到，它期待的下一个字节是第 { $next } 字节。
brief-ack = { $s }：第 { $next } 字节之前的数据都已收到。
note-close-fin = 挥手 ①：{ $s } 发送 FIN：它没有数据要发了。在 { $r } 也关闭之前，{ $s } 仍然可以接收数据。
brief-close-fin = 挥手 ①：{ $s } 发送 FIN：{ $s } 不再发送数据。
note-close-fin-acked = 挥手 ②：{ $s } 的内核确认这个 FIN（ack = FIN 的 seq + 1）。{ $s } 的程序不会立刻得知：它下一次调用 recv() 时会返回空数据（字节流结束）。
brief-close-fin-acked = 挥手 ②：{ $s } 确认这个 FIN。
note-close-second-fin = 挥手 ③：{ $s } 也关闭自己这一端：发出它自己的 FIN。
note-close-fin-ack-merged = 挥手 ②+③ 合并在一个报文段里：{ $s } 确认 { $r } 的 FIN，同时发出自己的 FIN。内核把 ACK 稍稍推迟了一下（延迟确认），其间 { $s } 的程序关闭了连接，于是一个报文段完成了两件事：四个步骤，三个数据包。
brief-close-fin-ack-merged = 挥手 ②+③ 合并在一个报文段里：{ $s } 确认 { $r } 的 FIN，并发出自己的 FIN。
note-close-last-ack = 挥手 ④：{ $s } 确认最后一个 FIN。{ $r } 现在是 CLOSED；{ $s } 进入 TIME-WAIT 等待（Linux 上为 60 秒），以免网络中迷途的旧报文段被误当成新连接的一部分。
brief-close-last-ack = 挥手 ④：{ $s } 确认最后一个 FIN，并进入 TIME-WAIT 等待。
note-reset = RST：{ $s } 中止了连接；双方不会再交换任何数据。
note-refused = RST：这个端口上没有程序在监听，所以 { $s } 的内核拒绝了连接。{ $r } 的 connect() 失败，报错“Connection refused”（连接被拒绝）。
brief-refused = RST：这个端口上没有程序在监听；连接被拒绝。
note-zero-window = win=0：{ $s } 的接收缓冲区满了，因为它的程序没有读取数据。在窗口重新打开之前，{ $r } 不能再发送任何数据。
brief-zero-window = win=0：{ $s } 的缓冲区满了。
note-window-reopened = 窗口更新：{ $s } 的程序读取了数据，又空出了 { $window } 字节：{ $r } 可以继续发送了。
note-payload = 数据：{ $data }
note-window-update = 窗口更新：{ $s } 没有发送新数据，只通告了新的窗口：{ $r } 现在最多可以有 { $window } 字节已发出而未被确认（程序读取了数据，或者内核扩大了接收缓冲区）。Wireshark 标记为 TCP Window Update。
note-probe = 探测：{ $s } 发送一个不带数据、使用旧序号的报文段，只为让 { $r } 回复它当前的窗口（零窗口探测；Wireshark 标记为 TCP Keep-Alive）。只要窗口一直关闭，这种探测就会以越来越长的间隔反复发送。
brief-probe = 探测：{ $s } 再次询问 { $r } 的窗口。
note-retransmission-syn = 重传：{ $s } 再次发送 SYN，序号不变。在它的计时器到期之前一直没有收到回答（第一个 SYN 的计时器为 1 秒，RFC 6298 §2.1），所以它的内核认为第一个 SYN 丢失了。即使原来那个 SYN 最终还是到达，{ $r } 也已经见过同样的 SYN，不会再建立第二个连接。
brief-retransmission-syn = 重传：{ $s } 再次发送 SYN。
note-retransmission = 重传：{ $s } 再次发送{ $what }。确认没有及时回来，所以它的内核认为第一次发出的那一份丢失了：要么是重传计时器到期（RFC 6298），要么是 Linux 的尾部丢失探测（tail-loss probe，RFC 8985）先触发。如果那一份其实已经到达，{ $r } 会丢弃这个重复的副本，并回复确认。
brief-retransmission = 重传：{ $s } 再次发送{ $what }。
what-fin = 它的 FIN
what-bytes = 第 { $first }–{ $last } 字节
what-bytes-and-fin = 第 { $first }–{ $last } 字节和它的 FIN
note-fast-retransmission = 快速重传：{ $s } 立即重发第 { $first }–{ $last } 字节。重复 ACK 告诉它：后面的报文段到了，这一个却缺失了，所以它不等计时器到期就重传（RFC 5681 §3.2）。
note-spurious-retransmission = 虚假重传：{ $s } 再次发送第 { $first }–{ $last } 字节，但 { $r } 早已确认过这些字节：这一份是多余的，{ $r } 会把它丢弃。
note-out-of-order = 乱序：第 { $first }–{ $last } 字节比 { $s } 字节流中更靠后的字节晚到。它们只是在路上耽搁了，并不是重发的；{ $r } 的 TCP 会先把它们排回正确的顺序，再交给程序读取。
note-duplicate-ack = 重复 ACK #{ $count }：{ $s } 仍在等待第 { $next } 字节。刚到的报文段没能让它的字节流向前推进（它位于一个空缺之后，或者是已收到字节的副本），所以它立即重复上一个 ACK。连续几个重复 ACK 就是在告诉 { $r }：有一个报文段丢失了。
brief-duplicate-ack = 重复 ACK #{ $count }：{ $s } 仍在等待第 { $next } 字节。
note-duplicate-ack-copy = 重复 ACK #{ $count }：{ $s } 重复上一个 ACK（仍然是 ack={ $next }）。它刚收到的是已有数据的副本，字节流没有向前推进：并没有数据丢失。
brief-duplicate-ack-copy = 重复 ACK #{ $count }：{ $s } 回应了一个副本；没有数据丢失。
note-challenge-ack = 挑战 ACK：{ $s } 的连接已经建立，一个 SYN 不能再开启新的连接。{ $s } 丢弃这个 SYN，并回复一个 ACK，重申连接当前的进度（RFC 5961 §4.2）。
brief-out-of-order = 乱序：第 { $first }–{ $last } 字节比更靠后的字节晚到。
brief-sack = SACK：{ $s } 还收到了空缺之后的第 { $ranges } 字节。
brief-dsack = D-SACK：第 { $first }–{ $last } 字节收到了两次。
note-sack = SACK：{ $s } 还收到了空缺之后的第 { $ranges } 字节（选择确认，RFC 2018），所以 { $r } 只需重发缺失的部分。
ranges-and = { $first } 和 { $second }
note-dsack = D-SACK：{ $s } 告诉 { $r }，第 { $first }–{ $last } 字节收到了两次（RFC 2883）：其中一份是多余的。
note-arp-request = ARP：在向 { $r } 发送第一个 IP 数据包之前，{ $s } 必须先知道 { $r } 的以太网（MAC）地址。它把这个问题广播给局域网上的每一台主机（RFC 826）。
brief-arp-request = ARP：{ $s } 询问 { $r } 的 MAC 地址。
note-arp-reply = ARP 回复：{ $s } 只向 { $r } 回复自己的 MAC 地址。两边的内核都把答案存进各自的 ARP 缓存（`ip neigh`），之后的数据包就可以直接发出。
brief-arp-reply = ARP 回复：{ $s } 告知自己的 MAC 地址。
note-neighbour-solicitation = 邻居请求：IPv6 没有 ARP。在向 { $r } 发送第一个数据包之前，{ $s } 必须先知道 { $r } 的以太网（MAC）地址，于是它通过 ICMPv6 询问，而且不是问所有主机，只问所找地址的被请求节点组播组（ff02::1:ff 加上该地址的最后 24 位），只有那台主机加入了这个组（RFC 4861 §4.3）。
brief-neighbour-solicitation = 邻居请求：{ $s } 询问 { $r } 的 MAC 地址。
note-neighbour-advertisement = 邻居通告：{ $s } 只向 { $r } 回复自己的 MAC 地址。两边的内核都把它存进各自的邻居缓存（`ip -6 neigh`），之后的数据包就可以直接发出。
brief-neighbour-advertisement = 邻居通告：{ $s } 告知自己的 MAC 地址。
note-port-unreachable = ICMP：{ $s } 的内核报告：数据报发往的端口上没有绑定任何套接字。调用过 connect() 的 UDP 套接字会收到一个错误；只用 sendto() 的套接字则永远不会知道。
brief-port-unreachable = ICMP：那个端口上没有套接字。
note-datagram-first = 一个 UDP 数据报，{ $len } 字节数据。它之前没有握手，之后也没有确认：UDP 只管发送。
brief-datagram-first = 一个 UDP 数据报，{ $len } 字节数据。
note-datagram = 又一个数据报，{ $len } 字节：自成一条消息。
note-broadcast = 广播：同时发给局域网上的每一台主机。每台主机都收到一份，每台主机上绑定了端口 { $port } 的每个套接字都能读到它：一次 sendto()，一个数据包，许多接收者。
note-multicast-all = 组播到 { $group }，即所有节点组：链路上的每台 IPv6 主机都在这个组里，所以每台都会收到一份，绑定了端口 { $port } 的每个套接字都能读到它。这就是 IPv6 的广播，而且不需要 SO_BROADCAST。
note-multicast = 组播到组 { $group }：只有内核加入了这个组的主机才会留下一份（简单的交换机会把帧发给每台主机，其他主机将它丢弃）。在这些主机上，绑定了端口 { $port } 的每个套接字都能读到它。
note-keep-alive = 保活（keep-alive）：没有新数据，序号比 { $s } 的下一个序号小 1。连接已经空闲了一段时间；{ $s } 检查 { $r } 是否还在，{ $r } 必须回复一个 ACK（RFC 9293 §3.8.4）。Wireshark 标记为 TCP Keep-Alive。
note-keep-alive-ack = { $s } 用和之前一样的 ACK 回应保活：还在，没有新数据。Wireshark 标记为 TCP Keep-Alive ACK。
note-zero-window-probe = 零窗口探测：{ $r } 的窗口为 0，所以 { $s } 只发送 1 个字节，询问是否已经腾出空间（RFC 9293 §3.8.6.1）。Wireshark 标记为 TCP ZeroWindowProbe。
note-zero-window-probe-ack = { $s } 回应探测：它的窗口仍为 0，这个字节没有被接收。Wireshark 标记为 TCP ZeroWindowProbeAck。
note-window-full = 窗口已满：这个报文段到达了 { $r } 所通告窗口的边缘；在 { $r } 确认之前，{ $s } 不能再发送（RFC 9293 §3.8.6）。Wireshark 标记为 TCP Window Full。
note-ports-reused = 这是一个新连接，地址和端口与之前的某个连接完全相同（ISN 是新的）：它的编号重新从 0 开始。Wireshark 标记为 TCP Port numbers reused。
note-previous-segment-not-captured = { $s } 的序号向前跳了一段：紧挨在这个报文段之前的字节没有被看到（可能还在路上、稍后才到，可能在到达捕获点之前就丢了，也可能在抓包开始之前就已发出）。Wireshark 标记为 TCP Previous segment not captured。
note-acked-unseen-segment = { $s } 确认了一些字节，但抓包中从未见到 { $r } 发送它们：它们经过时没有被捕获。Wireshark 标记为 TCP ACKed unseen segment。
note-fragment-more = IP 分片：某个数据报（{ $protocol }）的第 { $first }–{ $last } 字节。这个数据报对链路来说太大，在途中被切成了几片（RFC 791 §2.3、RFC 8200 §4.5）。{ $r } 会在所有分片都到齐后把它重组起来；Wireshark 在最后一个分片处显示完整的数据报。
note-fragment-last = IP 分片：某个数据报（{ $protocol }）的第 { $first }–{ $last } 字节。这个数据报对链路来说太大，在途中被切成了几片（RFC 791 §2.3、RFC 8200 §4.5）。{ $r } 要把它重组起来，但这一片之前的某个分片缺失了；Wireshark 在最后一个分片处显示完整的数据报。
protocol-number = 协议 { $n }
note-icmp-echo-request = ping：{ $s } 请 { $r } 把这条消息原样发回（ICMP 回显请求，RFC 792）。这里不涉及 { $r } 的任何端口和套接字：{ $r } 的内核自己就会回答。
note-icmp-echo-reply = pong：{ $s } 的内核把 ping 原样发回；id 和 seq 与请求中的相同，ping 就是靠它们把请求和回复配对，并测出往返时间。
note-icmp-unreachable = ICMP 目的不可达（{ $reason }）：{ $s } 报告 { $r } 发出的一个数据包无法送达。这条消息引用了那个数据包的开头，所以 { $r } 的内核能通知对应的套接字（随后 connect() 和 send() 会失败，RFC 1122 §4.2.3.9）。
note-icmp-reassembly = ICMP 时间超过：{ $s } 放弃了重组来自 { $r } 的一个分片数据报：有一个分片始终没有到（RFC 792）。
note-icmp-time-exceeded = ICMP 时间超过：来自 { $r } 的一个数据包在 { $s } 处用完了跳数（TTL 或跳数限制减到了 0），{ $s } 丢弃了它，并发出这条通知。traceroute 正是依次发送 TTL 为 1、2、3……的数据包，来听取沿途每个路由器的回应。
note-icmp-too-big = ICMPv6 分组过大（Packet Too Big）：来自 { $r } 的一个数据包在 { $s } 处放不进下一段链路（MTU 为 { $mtu } 字节）。IPv6 路由器从不分片：发送方必须改发更小的数据包（路径 MTU 发现，RFC 8201）。
note-icmp-other = { $icmp } 消息，类型 { $kind }，代码 { $code }：这是 IP 层的控制消息，不是任何套接字的数据。

## socklab 的实验线路对一帧做了什么。

fate-dropped-tcp = ✗ 在线路上丢失：本课的线路丢弃了这一帧，{ $r } 永远收不到它。{ $s } 要靠 { $r } 的重复 ACK 或自己的重传计时器才能发现。
fate-dropped-udp = ✗ 在线路上丢失：本课的线路丢弃了这一帧，{ $r } 永远收不到它，而且谁也不会发现：UDP 没有确认。
fate-duplicate-tcp = ⧉ 在线路上被复制：{ $r } 第二次收到同一帧。{ $s } 的内核只发送了一次；但在抓包中，这个副本看起来和重传一模一样，tshark 也把它标记为重传。
fate-duplicate = ⧉ 在线路上被复制：{ $r } 第二次收到同一帧。
fate-delayed-first = ⏱ 在线路上被延迟 { $ms } 毫秒：这是 { $s } 的内核发出的第一份，它的计时器到期后再次发出的那一份反而先到了。抓包看到它后到，就把它当成重传（tshark 也是如此）。
fate-delayed = ⏱ 在线路上被延迟 { $ms } 毫秒：在它之后发出的帧可能会先到。
fate-reordered = ⇄ 在线路上被打乱顺序：它被暂时扣住，比 { $s } 后发出的一帧更晚送到 { $r }。
fate-corrupted = ⚡ 在线路上被损坏：有一个字节被翻转。{ $r } 的内核发现校验和不对，便悄无声息地丢弃这一帧（RFC 9293 §3.1、RFC 768）。

## 注释下方单独成行的数值。

detail-isn = 实际 ISN：{ $isn }
detail-options = 选项：{ $options }
gloss-options = （MSS：它在一个报文段里最多能接收的数据量；SACK-permitted：它能确认越过空缺先到的数据；timestamps：时间戳，每个报文段带一个时钟值，用来测量往返时间；wscale：它此后的窗口以 2^wscale 字节为单位，win= 显示的是换算后的字节数。）
gloss-window = （win=：发送方的接收缓冲区现在还能接收多少字节，即它的接收窗口。seq 和 ack 以字节计数；len 是这个报文段携带的数据量。）

## 汇总成一行的一长串数据包。

summary-segments = { $count } 个报文段，{ $bytes } 字节
summary-resent = ，{ $count } 个重传
summary-acks = { $count } 个 ACK
summary-dup = ，{ $count } 个重复
summary-sent = { $side } 用 { $count } 个报文段（每个最多 { $largest } 字节）发送了它字节流中的第 { $first }–{ $last } 字节{ $resent ->
    [0] {""}
   *[other] ，其中 { $resent } 个是再次发送的（重传）
}。
summary-acked = { $side } 用 { $count } 个 ACK 进行确认{ $dup ->
    [0] {""}
   *[other] （其中 { $dup } 个是重复 ACK，再次索要缺失的报文段）
}{ $copies ->
    [0] {""}
   *[other] （其中 { $copies } 个是回应副本的重复 ACK：没有数据丢失）
}，最后一个是 ack={ $ack }：第 { $ack } 字节之前的数据都已到达。
summary-text = … 还有 { $count } 个与上面类似的数据包，汇总如下：{ $sentences }使用 `--all-packets` 可以逐个显示。
summary-span = 从其中第一个到最后一个，历时 { $ms } 毫秒

## 课程的框架。

ladder-time-unit = ms
lesson-title = socklab · { $title }
lesson-ipv6-loopback = 基于 IPv6：套接字使用 { $code ->
    [rust] Domain::IPV6
   *[python] AF_INET6
}，回环地址是 ::1，“任意地址”是 ::。IPv6 首部长 40 字节，而 IPv4 首部是 20 字节，所以回环上最大的 TCP 报文段（SYN 中的 MSS）要小 20 字节：65476，而不是 65495。{ $code ->
    [rust] recv_from() 和 accept() 返回的地址是 SocketAddrV6：主机、端口、流信息和作用域 ID。
   *[python] recvfrom() 和 accept() 返回的地址是四元组 (host, port, flowinfo, scope_id)：主机、端口、流信息和作用域 ID。
}
lesson-ipv6-wire = 基于 IPv6：套接字使用 { $code ->
    [rust] Domain::IPV6
   *[python] AF_INET6
}，“任意地址”是 ::。{ $code ->
    [rust] recv_from() 和 accept() 返回的地址是 SocketAddrV6：主机、端口、流信息和作用域 ID；
   *[python] recvfrom() 和 accept() 返回的地址是四元组 (host, port, flowinfo, scope_id)：主机、端口、流信息和作用域 ID；
}作用域 ID 是链路本地地址（fe80::）所属网络接口的编号。
step-title = ── 第 { $step } 步（共 { $total } 步）· { $title }{" "}
question-answer = 答案：{ $answer }.{" "}
question-right = ✓ 答对了。
question-wrong = ✗ 不太对：正确答案是 { $answer }。
end-complete = 本课结束：线路上共有 { $packets } 个数据包，每一个都是从内核实际捕获的。
end-complete-lost = 本课结束：线路上共有 { $packets } 个数据包。另有 { $lost } 帧因为线路的缓冲区装不下而丢失（机器处理不过来），所以这次抓包并不完整。
end-questions = 问题：{ $answered } 题中答对 { $right } 题。

## 扣留模式。

held = 扣留在线路上：{ $from } → { $to }，{ $what }。{ $waiting }
held-tcp = { $flags }
held-tcp-data = { $flags }，带 { $len } 字节数据
held-udp = 一个 { $len } 字节的 UDP 数据报
held-icmp = ICMP 端口不可达
held-ndp = 邻居发现
held-arp = ARP
held-nobody = 还没有任何主机收到它。
held-not-received = { $to } 还没有收到它。
held-not-this-copy = { $why }{ $to } 还没有收到这个副本。
held-delayed = 这是 { $from } 发出的第一份，线路把它延迟了 { $ms } 毫秒。{ $to } 还没有收到它。
again-by-timer = 这是一个副本：{ $from } 的重传计时器到期后，它的内核又发送了一次。
again-answer = 又是同一个 ACK：这是 { $from } 对它收到的一个副本的回应。
let-go-copies = 已放行，连同 { $from } 在等待期间发出的 { $copies } 个副本。{ $why }

## 内核自己眼中的套接字。

kernel-heading = 内核自己看到的套接字（沙箱中的 /proc/net）：
kernel-heading-hosts = 各内核自己看到的套接字（每台主机上的 /proc/net）：
kernel-legend = ✓：与数据包所显示的状态一致。这里的状态名是 Linux 的写法（和 netstat 显示的一样），对应 RFC 9293 的名称：SYN_RECV 即 SYN-RECEIVED，FIN_WAIT1 即 FIN-WAIT-1，TIME_WAIT 即 TIME-WAIT，依此类推。
kernel-legend-check = ✓：与数据包所显示的状态一致。
kernel-legend-states = 这里的状态名是 Linux 的写法（和 netstat 显示的一样），对应 RFC 9293 的名称：SYN_SENT 即 SYN-SENT，SYN_RECV 即 SYN-RECEIVED，FIN_WAIT1 即 FIN-WAIT-1，TIME_WAIT 即 TIME-WAIT，依此类推。
kernel-agrees = ✓
kernel-differs = ≠ 数据包所示：{ $state }
kernel-queued = （在 { $listener } 的全连接队列中）
kernel-half-open = （在 { $listener } 的半连接队列中）
kernel-closed = { $name }（已关闭）
kernel-gone = 已不存在
kernel-connected = 已连接
kernel-unconnected = 未连接
kernel-groups = 各内核在 eth0 上加入的组播组（/proc/net/igmp6）：
kernel-groups-left-out = 未列出：每台 IPv6 主机都会自行加入的组，即 ff01::1（本机的所有节点）和 ff02::1:ff00:N（被请求节点组播组，邻居发现在这里询问地址）。
kernel-checksum-errors = 各内核因校验和不对而丢弃的 TCP 报文段和 UDP 数据报（/proc/net/snmp 中的 InCsumErrors；IPv6 上的 UDP 则是 /proc/net/snmp6 中的 Udp6InCsumErrors）：
group-all-nodes = 所有节点
group-joined = 已加入

## 一次调用返回了什么，写在调用后面的注释里。

code-connected-tcp = connect() 返回了：握手已完成。内核给 { $socket } 分配了地址 { $local }：它从未绑定端口，所以得到一个随机的（临时）端口。
code-connected-udp = 对 UDP 套接字调用 connect() 不会发送任何东西：它只是固定了对端。内核给 { $socket } 分配了地址 { $local }：它从未绑定端口，所以得到一个随机的（临时）端口。
code-closed-python = recv() 返回了空字节串：对端已经关闭了它那一端。程序正是这样得知另一端已经离开的。
code-closed-rust = read() 返回了 Ok(0)，即读到 0 字节：对端已经关闭了它那一端。程序正是这样得知另一端已经离开的。
code-received-all = 用 { $bufsize } 字节的缓冲区调用 { $recv }，{ $calls ->
    [1] 第 1 次返回了数据，第 2 次
   *[other] 前 { $calls } 次都返回了数据，然后有一次
}返回了 { $empty }：对端已经关闭。一次 { $recv } 返回多少数据，取决于缓冲区的大小和当时已经到达了多少，而与这些字节在线路上被切成了怎样的报文段无关。
code-rust-main = 以下代码使用 socket2 { $version }，写在这个函数里运行：

## 回放与监视。

replay-title = socklab · 回放 { $file }
replay-end = { $frames } 帧：解释了 { $explained } 个 TCP 或 UDP 数据包，跳过了 { $skipped } 个其他帧{ $malformed ->
    [0] {""}
   *[other] ，{ $malformed } 帧格式错误（上文已逐一列出，并附有原因）
}。
replay-stopped = 文件从第 { $frame } 帧起无法读取：{ $reason }。
frame-malformed = 第 { $frame } 帧格式错误：{ $reason }
frame-skipped = 跳过第 { $frame } 帧：{ $reason }
watch-start = 正在监视 { $iface } 上的 TCP 和 UDP（{ $ports }）；按 Ctrl-C 结束并显示汇总。
watch-every-port = 所有端口
watch-ports = { $count ->
    [1] 端口 { $ports }
   *[other] { $count } 个端口：{ $ports }
}
watch-none = 没有看到任何会话。
watch-count = 共监视到 { $count } 个会话：
watch-conversation = { $packets } 个数据包；客户端发送 { $client } 字节，服务器发送 { $server } 字节；重传 { $resent } 个；{ $ending }
ending-datagrams = 数据报（UDP 没有需要关闭的连接）
ending-reset = 被重置（RST）
ending-closed = 双方都已关闭（各发了一个 FIN）
ending-client-fin = 半关闭：客户端发送了 FIN
ending-server-fin = 半关闭：服务器发送了 FIN
ending-open = 连接仍未关闭

## 向学习者提问、等待按键的地方。

prompt-pause = [Enter] { $what } · b 后退 · q 退出 · ? 按键说明{" "}
prompt-next-packet = 下一个数据包
prompt-next-packets = 后面的数据包
prompt-run-code = 运行代码
prompt-let-go = 放行
prompt-keys = Enter、→ 或 n：继续 · ← 或 b：后退一个数据包 · N g：跳到第 N 步 · r：重看本步 · q：退出
prompt-answer = 你的答案（1-{ $choices }，q 退出）：{" "}
prompt-number = 请输入 1 到 { $choices } 之间的数字：{" "}

## 让一次运行提前结束的情况。

cli-width-range = 宽度应当在 { $fewest } 到 { $most } 列之间
error-missing-packet = 第 { $step } 步（{ $title }）：预期线路上会出现 `{ $expected }`，但 { $seconds } 秒内没有等到；实际看到的是：{ $saw }
error-nothing-else = 别的什么也没有
error-and-more = { $shown }，另外还有 { $more } 个
error-times = { $packet } ×{ $count }
error-call-failed = 第 { $step } 步（{ $title }）：`{ $call }` 失败：{ $error }{ $hint }
error-ipv6-broadcast = IPv6 没有广播
error-no-last-sender = `addr` 还没有设置：必须先调用 recvfrom()
hint-in-use = {" "}（另一个套接字占用了这个端口；`socklab list` 中有讲 SO_REUSEADDR 的课程）
hint-refused = {" "}（那个端口上没有程序在监听）
hint-open-files = {" "}（打开的文件太多：这个进程最多能打开 { $limit } 个；请提高上限，例如 `ulimit -n 1024`）
hint-memory = {" "}（内存不足：地址空间上限 `ulimit -v` 是不是太低了？）
error-out-of-memory = 内存不足：内存上限（`ulimit -v`）太低，socklab 无法继续运行。
hint-threads = {" "}（系统不肯再启动一个线程：内存不足（`ulimit -v`），或进程太多（`ulimit -u`））
hint-timed-out = {" "}（调用一直在等待，却什么也没等到：本课的步骤顺序对吗？）
error-expected-raise = 本课预期它会抛出 { $error }，但它成功了
error-interrupted = socklab: 已中断；没有留下任何东西（沙箱网络随本次运行一起消失了）
error-unknown-lesson = 没有名为 `{ $id }` 的课程{ $hint }
error-no-own-binary = `run --all` 让每一课在各自的 socklab 进程中运行，但在 /proc/self/exe 找不到 socklab 自己的可执行文件（{ $error }）：请挂载 /proc，或一课一课地运行。
hint-did-you-mean = ；你是不是想找 `{ $near }`？（`socklab list` 会列出所有课程）
hint-no-file = ，也没有名为 { $id } 的文件
hint-list = ；`socklab list` 会列出所有课程
error-no-translation = 课程 `{ $id }` 没有 `{ $lang }` 译文；它可以用这些语言显示：{ $known }
note-ipv6-counterpart = { $id } 不能在 IPv6 上运行：{ $why }
    接下来运行它的 IPv6 对应课程：{ $other }。
wrote-code-python = 已把本课的代码写入 { $path }：一个 Python 脚本。
wrote-code-rust = 已把本课的代码写入 { $path }：一个 Rust 的 main.rs，文件开头注明了 Cargo.toml 所需的 [dependencies]。
wrote-code-hosts-python = 已把本课的代码写成每台主机一个程序：{ $files }，都是 Python 脚本。
wrote-code-hosts-rust = 已把本课的代码写成每台主机一个程序：{ $files }，都是 Rust 的 main.rs，各自在文件开头注明了 Cargo.toml 所需的 [dependencies]。
wrote-pcap = 已把 { $frames } 帧写入 { $path }：可以用 `tshark -r { $path }` 或 Wireshark 打开。
left-out = socklab: 略过了 { $count } 个有问题的课程文件（{ $files }）；`socklab check { $dir }` 会列出这些问题
list-run-one = 用 `socklab run ID` 运行其中一个课程。
all-summary = 汇总
all-done = 完成
all-failed = 有一步失败
all-interrupted = 已中断
all-could-not-run = 无法运行
all-not-run = （{ $count } 课未运行）
all-not-ipv6 = { $id }：不在 IPv6 上运行：{ $why }
all-not-ipv6-counterpart = { $id }：不在 IPv6 上运行：{ $why }它的 IPv6 对应课程 { $other } 会在轮到时运行。

## 练习。

exercise-title = socklab · 练习 · { $title }
exercise-list-next = `socklab exercise show ID` 显示题目；`socklab exercise start ID` 写出一个起步文件。
exercise-contract = 你的程序必须做到
exercise-checks = socklab 依次检查
exercise-hints = 提示
exercise-lesson-first = 讲解它的课程：`socklab run { $lesson }`。
exercise-how = 先运行下面第一条命令（它会写出 { $file }），再用第二条命令检查你的程序：
exercise-started = 已写出 { $file }：填好其中的 TODO，然后用这条命令检查它：
exercise-program = 你的程序：`{ $command }`，扮演 { $actor }。socklab 用下面显示的调用扮演另一端。
check-title = ── 检查 { $check }（共 { $total } 项）· { $title }{" "}
setup-title = ── socklab 这一端 · { $title }{" "}
check-passed = ✓ { $title }
check-failed = ✗ { $title }
check-not-run = – { $title }（未运行：前面的检查没有通过）
check-lesson = 相关课程：socklab run { $lesson }
failure-missing-packet = 线路上应当出现 { $expected }，但 { $seconds } 秒内没有出现。实际看到的是：{ $saw }。
expect-with-data = （携带数据）
failure-closed-first = { $actor } 还没发出它就关闭了连接：它的 FIN 先到了。
failure-reset-first = { $actor } 还没发出它就重置了连接：它的 RST 先到了。
failure-other-side-closed-first = { $actor } 已经先关闭了它那一端：它的 FIN 已经到了，从那以后，{ $reader } 的程序里每次 recv() 都立即返回 b''。读到 b'' 还继续读的程序，永远走不到 close()。
failure-reset-after-own-fin = { $actor } 之前已经关闭了这条连接：它的 FIN 更早就到了。close() 和 shutdown(SHUT_RDWR) 一样，也会停止接收，所以之后到达的数据被它的内核用 RST 回应了（RFC 9293 §3.6.1）。要表示“不再发送”但继续接收，请调用 shutdown(SHUT_WR)。
failure-no-fin = { $expected } 在 { $seconds } 秒内没有出现。
failure-left-open = 在内核自己的视图里，{ $actor } 的连接仍是 { $state }，而且没有未读的数据：你的程序已经读完了 { $peer } 发来的全部内容，却没有对这条连接调用 close() 就接着运行。只有 close() 才会发出 FIN（或者程序结束时，由内核关闭它留下的连接）。
failure-and-why = { $failure }{ $why }
failure-call-failed = socklab 的 `{ $call }` 失败了：{ $error }。
failure-no-answer = socklab 的 `{ $call }` 等了 { $seconds } 秒，你的程序什么也没有发来。
failure-no-more = socklab 的 `{ $call }` 收到了 { $bytes } 字节，然后等了 { $seconds } 秒，你的程序再没有发来任何东西：没有更多数据，也没有表示数据流结束的 FIN。
error-partly-received = 收到 { $bytes } 字节后超时，数据流没有结束
failure-not-ready-tcp = { $seconds } 秒内没有任何套接字在 TCP 端口 { $port } 上监听。
failure-not-ready-udp = { $seconds } 秒内没有任何套接字绑定到 UDP 端口 { $port }。
failure-ended = 你的程序在准备好之前就结束了（退出状态 { $status }）：先看下面它打印的内容，那里会说明原因（比如一段 traceback，或一个打不开的文件）。
failure-ended-signal = 你的程序在准备好之前就结束了（被信号终止）。
failure-crashed = 你的程序在这次交换中结束了（退出状态 { $status }）；它必须继续运行，为下一个请求服务。
failure-crashed-signal = 你的程序在这次交换中结束了（被信号终止）；它必须继续运行，为下一个请求服务。
failure-forbidden = 线路上出现了 { $packet }，这项检查不允许它出现。
failure-received = socklab 应当收到 { $expected_len } 字节 { $expected }，实际收到 { $got_len } 字节 { $got }：从第 { $at } 字节起不同。
failure-received-short = socklab 应当收到 { $expected_len } 字节 { $expected }，但在数据流结束之前只收到了前 { $got_len } 字节。
failure-file-short = { $name } 只有发送的 { $expected_len } 字节中的前 { $got_len } 字节：其余的缺失了。
failure-exited-with = 你的程序以退出状态 { $status } 结束，而不是 0：出了问题（它在标准错误上打印的内容见下方）。
failure-exited-signal = 你的程序是被信号终止的，而不是运行到了结尾。
failure-did-not-exit = 交换结束 { $seconds } 秒后你的程序仍在运行；它本应结束。
failure-not-printed = 你的程序没有打印“{ $text }”。
failure-file-missing = 你的程序没有写出 { $name }。
failure-file = { $name } 有 { $got_len } 字节，而发送的是 { $expected_len } 字节：从第 { $at } 字节起不同。
failure-stopped = 你的程序运行时间超过了本练习允许的 { $seconds } 秒，已被停止。
program-printed = 你的程序打印了：
program-printed-errors = 它的标准错误输出：
program-earlier = … 前面还有 { $lines } 行
program-nothing = 你的程序什么也没有打印。
program-status = 它以状态 { $status } 退出。
program-signal = 它被一个信号终止了。
program-stopped = socklab 在结束时停止了它（服务器会一直运行，直到被停止）。
program-stopped-running = 结束时它仍在运行，socklab 停止了它。
program-not-typed = socklab 一直没有替它输入 "{ $line }"：要等你的程序打印出 "{ $after }" 之后才会输入，就像人读到了对方的话才回答一样。
program-typed-mark = ← socklab 输入的
program-typed-note = 标着“{ $mark }”的行，是 socklab 像坐在键盘前的人一样输入到你的程序标准输入里的，显示在 socklab 输入它的位置。它不是你的程序打印的，任何检查都不算它。
exercise-passed = 全部 { $total } 项检查都通过了。
exercise-failed = { $total } 项检查中通过了 { $passed } 项。
junit-not-run = 未运行：前面的检查没有通过
kernel-program = { $actor }（你的程序）

## 术语表。

glossary-title = socklab · 术语表
glossary-intro = 课程中用到的术语，中英对照（`--lang en` 用英文解释）。TCP 的状态和标志在两种语言里都保留 RFC 9293 和 Wireshark 使用的名称。
state-gloss = { $term }：{ $explain }

## 拥塞视图（tcp-congestion；扣留模式）：用 getsockopt(TCP_INFO) 读取发送方
## 内核的数字，并说明一次变化依据的是哪条规则。$s：被读取内核的一方。
## cwnd、ssthresh、内核的状态名 Open/Disorder/CWR/Recovery/Loss、算法名
## Reno/CUBIC/NewReno、RFC 编号保持原样。

summary-lost = ，丢失 { $count } 个
summary-sent-lost = { $all ->
    [1] 它们全部在线路上丢失了。
   *[0] { $lost ->
        [one] 其中 1 个在线路上丢失了。
       *[other] 其中 { $lost } 个在线路上丢失了。
    }
}
summary-sent-reordered = { $all ->
    [1] { $count ->
        [1] 它比字节流中更靠后的字节晚到：只是在路上耽搁了，并不是重发的。
       *[other] 它们都比字节流中更靠后的字节晚到：只是在路上耽搁了，并不是重发的。
    }
   *[0] 其中 { $count } 个比字节流中更靠后的字节晚到：只是在路上耽搁了，并不是重发的。
}
congestion-whose = { $s } 的内核
congestion-whose-now = { $s } 的内核此刻
congestion-head = { $whose }（TCP_INFO，{ $algorithm }）：
congestion-unacked = 未确认 { $unacked }
congestion-counts-sack = 已 SACK { $sacked } · 丢失 { $lost } · 已重传未确认 { $retrans }
congestion-counts-dupacks = 重复 ACK { $sacked } · 丢失 { $lost } · 已重传未确认 { $retrans }
congestion-out-of-step = （在这一步结束时读取：内核统计的报文段数与抓包所见不同，所以这次读数未必紧接在上面那些数据包之后）
congestion-first-initial = 初始窗口：在第一个 ACK 回来之前，{ $s } 的内核可以发送 { $cwnd } 个报文段（RFC 6928）。内核处于 Open（正常）状态，ssthresh 还没有设定（“无穷大”），所以窗口按慢启动增长。
congestion-first = 这个连接的第一次读数。
congestion-slow-start-reached = 慢启动：又有 { $delivered } 个报文段得到确认，每个都让窗口增加一个报文段，直到达到 ssthresh：{ $from } → { $to }（RFC 5681 §3.1）。从这里起，窗口按拥塞避免增长。
congestion-slow-start-capped = 慢启动：有 { $delivered } 个报文段得到确认，窗口从 { $from } 增长到 { $to }：每确认一个增加一个（RFC 5681 §3.1），但最多增长到 { $s } 在途报文段数的两倍。窗口没有用满时，Linux 不再继续增大它。
congestion-slow-start = 慢启动：自上次读数以来得到确认的 { $delivered } 个报文段，每个都让窗口增加一个报文段，{ $from } → { $to }（RFC 5681 §3.1）。每个往返时间都有一整个窗口的报文段得到确认，所以窗口每个往返时间翻一番。
congestion-avoidance = 拥塞避免：窗口已经达到 ssthresh，所以只有在一整个窗口的报文段都得到确认之后，它才增加一个报文段（RFC 5681 §3.1，公式 3）：确认了 { $delivered } 个之后，{ $from } → { $to }。大约每个往返时间增加一个报文段：慢启动时是翻倍，现在是一条直线。
congestion-avoidance-cubic = 拥塞避免，CUBIC：窗口沿着一条以丢包后经过的时间为自变量的曲线变化，W(t) = C·(t − K)³ + W_max（RFC 9438 §4.2）。它先快速爬回 W_max（丢包时的窗口），在接近它时变平，然后越过它继续试探。{ $s } 的内核用时钟的滴答来计量这段时间，所以标有 ◷ 的数字每次运行可能相差一个报文段甚至更多。
congestion-waiting-done = 发出的数据都已得到确认，也没有更多数据要发送：窗口保持 { $cwnd }。
congestion-waiting = 自上次读数以来没有任何确认：窗口保持 { $cwnd }，有 { $unacked } 个报文段在等待它们的 ACK。
congestion-disorder = Disorder（乱序）：收到了重复 ACK 或 SACK 块，但还不够多，不足以判定某个报文段丢失（RFC 5681 §3.2 要等到第三个）。窗口保持 { $cwnd }。
congestion-recovery-sack = 快速重传与快速恢复：重复 ACK 和 SACK 块表明有一个报文段丢失了（RFC 5681 §3.2；Linux 用 RACK 来判断，RFC 8985），{ $s } 立即重传了它，内核进入 Recovery（快速恢复中）状态，使用 SACK（RFC 6675）。{ $cut }恢复期间，窗口逐步降到 ssthresh：每有两个报文段离开网络，大约发送一个新报文段（比例降速，Proportional Rate Reduction，RFC 6937）：现在 cwnd 为 { $cwnd }。
congestion-recovery = 快速重传与快速恢复：收到第三个重复 ACK 时，{ $s } 的内核判定那个报文段已经丢失，立即重传（RFC 5681 §3.2），并进入 Recovery（快速恢复中）状态（NewReno，RFC 6582：没有 SACK 时，每个重复 ACK 都算作一个报文段离开了网络）。{ $cut }恢复期间，窗口逐步降到 ssthresh：每有两个报文段离开网络，大约发送一个新报文段（比例降速，Proportional Rate Reduction，RFC 6937）：现在 cwnd 为 { $cwnd }。
congestion-still-recovering-done = 所有数据都已得到确认，包括重传的那个报文段，但内核仍然处于 Recovery：没有 SACK 时，只有当某个 ACK 覆盖了发现丢包之后才发出的数据，Linux 才离开这个状态，以免此前遗留的重复 ACK 再触发一次快速重传（RFC 6582 §3.2）。cwnd { $cwnd }，ssthresh { $ssthresh }。
congestion-still-recovering = 仍在恢复中：重传的报文段正在路上。每个重复 ACK 都表示又有一个报文段离开了网络，而 { $s } 每收到两个大约发送一个新报文段（比例降速，RFC 6937），所以窗口降到了 cwnd { $cwnd }，向 ssthresh（{ $ssthresh }）靠近。
congestion-recovered = 恢复结束：有一个 ACK 覆盖了发现丢包时所有在途的数据。窗口从 ssthresh 即 { $ssthresh } 重新开始（RFC 6937 §3），此后按拥塞避免增长。
congestion-recovered-cubic = 恢复结束：有一个 ACK 覆盖了发现丢包时所有在途的数据。窗口从 ssthresh 即 { $ssthresh } 重新开始（RFC 6937 §3），此后沿 CUBIC 的曲线按内核的时钟增长（◷）。
congestion-timeout = 重传超时：在 { $s } 的重传计时器到期之前，一个 ACK 也没有回来（RFC 6298 §5），所以它的内核进入 Loss（超时后恢复中）状态，把所有在途的报文段都当作已丢失，并重传第一个。{ $cut }窗口降到 { $cwnd }：即一个报文段的丢失窗口（RFC 5681 §3.1）。此后窗口重新按慢启动增长，被当作丢失的报文段随着窗口增长而重新发出。
congestion-still-lost-done = 所有被当作丢失的报文段都已重传并得到确认，但内核仍然处于 Loss：没有 SACK 时，只有当某个 ACK 覆盖了超时之后才发出的数据，Linux 才离开这个状态，以免超时前所发报文段的重复 ACK 触发快速重传（RFC 6582 §4）。cwnd { $to }，ssthresh { $ssthresh }。
congestion-still-lost-flat = 仍处于 Loss 状态，但窗口已经达到 ssthresh（{ $ssthresh }）：现在按拥塞避免增长，在一整个窗口的报文段得到确认之前保持 { $to }（RFC 5681 §3.1）。
congestion-still-lost-avoidance = 仍处于 Loss 状态，但窗口已经达到 ssthresh（{ $ssthresh }）：现在按拥塞避免增长，{ $from } → { $to }（RFC 5681 §3.1）。
congestion-still-lost = 仍处于 Loss 状态：每个重传的报文段得到确认，窗口就增加一个报文段，{ $from } → { $to }，重新慢启动（RFC 5681 §3.1），直到 ssthresh 即 { $ssthresh }；被当作丢失的报文段随着窗口增长而发出。
congestion-loss-recovered-below = 超时之前发出的报文段都已得到确认：Loss 状态结束。窗口为 { $cwnd }，仍低于 ssthresh（{ $ssthresh }）：慢启动继续。
congestion-loss-recovered = 超时之前发出的报文段都已得到确认：Loss 状态结束。窗口已经达到 ssthresh（{ $ssthresh }）：从这里起是拥塞避免。
congestion-slow-start-ended = 慢启动在没有丢包的情况下结束了：CUBIC 的 HyStart（Linux 的补充，RFC 9438 §4.10 允许）发现往返时间在变长，这是队列正在填满的迹象，于是把 ssthresh 设为当前窗口 { $ssthresh }。
congestion-undone = 窗口削减被撤销：{ $s } 的内核发现它重传的那个报文段其实并没有丢失（第一份的 ACK 到了：时间戳或 D-SACK 说明了这一点，RFC 3522 和 RFC 3708），于是把窗口恢复为 { $cwnd }，ssthresh 也重新变为未设定。
congestion-undone-ssthresh = 窗口削减被撤销：{ $s } 的内核发现它重传的那个报文段其实并没有丢失（第一份的 ACK 到了：时间戳或 D-SACK 说明了这一点，RFC 3522 和 RFC 3708），于是把窗口恢复为 { $cwnd }，ssthresh 恢复为 { $ssthresh }。
congestion-unexplained = { $algorithm } 按自己的规则而不是 RFC 5681 的规则设定窗口：socklab 只显示它的数字，只解释 Reno 和 CUBIC（用 setsockopt TCP_CONGESTION 选择其中之一）。
congestion-reduced = CWR（降窗）：窗口在没有丢包的情况下降到 { $cwnd }：原因是 ECN 拥塞信号（RFC 3168），或者主机自己的队列满了。
congestion-short-slow-start = 慢启动：{ $from } → { $to }，确认了 { $delivered } 个，每个增加一个。
congestion-short-avoidance = 拥塞避免：确认了 { $delivered } 个之后，{ $from } → { $to }。
congestion-short-avoidance-cubic = 拥塞避免，沿 CUBIC 的曲线，按内核的时钟（◷）。
congestion-short-unexplained = { $algorithm }：只显示数字；socklab 只解释 Reno 和 CUBIC。
congestion-short-still-recovering = 仍在恢复中：cwnd { $cwnd }。
congestion-short-still-lost = 仍处于 Loss 状态，重新慢启动：{ $from } → { $to }。
congestion-cut-half-whole = Reno 把窗口减半：ssthresh = max(cwnd / 2, 2) = max({ $before } / 2, 2) = { $expected }。RFC 5681 的公式 4 写的是 max(FlightSize / 2, 2)，这里结果相同：整个窗口共 { $flight } 个报文段都在途中。
congestion-cut-half = Reno 把窗口减半：ssthresh = max(cwnd / 2, 2) = max({ $before } / 2, 2) = { $expected }。RFC 5681 的公式 4 写的是 max(FlightSize / 2, 2)，按上次读数时在途的 { $flight } 个报文段计算，得到 { $rfc5681 }。
congestion-cut-cubic = Reno 保留一半窗口，CUBIC 保留 70%：ssthresh = cwnd × β_cubic = { $before } × 717 / 1024 = { $expected }（RFC 9438 §4.6，β_cubic = 0.7）。
congestion-cut-other = { $algorithm } 把 ssthresh 设为 { $ssthresh }。
congestion-check-recovery = ✓ 内核的 ssthresh 是 { $ssthresh }，与规则给出的一致。
congestion-check-timeout = ✓ 内核的 ssthresh 是 { $ssthresh }，cwnd 是 { $cwnd }，与规则给出的一致。
congestion-check-loss-window = ≠ 内核的 cwnd 是 { $cwnd }，不是一个报文段的丢失窗口。
congestion-check-cut = ≠ 内核的 ssthresh 是 { $ssthresh }，而按上次读数时的窗口 { $cwnd }，规则给出的是 { $expected }：在读数和丢包之间，窗口发生了变化。
congestion-check-fits = ✓ 内核的数字符合这条规则。
congestion-check-differs = ≠ 内核的数字不符合这条规则。
chart-caption = { $socket }（{ $actor } 的套接字，{ $algorithm }）的拥塞窗口，以报文段为单位，取自它的内核在各个往返之间给出的读数：
# 套接字以它的算法命名：名字只写一次。
chart-caption-same = { $socket }（{ $actor } 的套接字）的拥塞窗口，以报文段为单位，取自它的内核在各个往返之间给出的读数：
chart-slow-start = S 慢启动
chart-avoidance = A 拥塞避免
chart-disorder = D 乱序（Disorder）
chart-recovery = R 快速恢复
chart-loss = L 丢失（超时之后）
chart-cwr = C 降窗（CWR）
chart-ssthresh = - ssthresh（在柱子上方时）
chart-clock = ┆：它右侧的读数取决于内核的时钟（CUBIC 的曲线，RFC 9438 §4.2），每次运行会略有不同。
cc-slow-start = 慢启动
cc-avoidance = 拥塞避免
cc-recovery = 快速恢复
cc-loss = 丢失（超时）
cc-to-avoidance = 慢启动 → 拥塞避免：cwnd 已达到 ssthresh（RFC 5681 §3.1）。
cc-to-recovery = → 快速恢复：三个重复 ACK 说明有报文段丢失；修复之后回到拥塞避免（RFC 5681 §3.2、RFC 6582、RFC 6675）。
cc-to-loss = → 丢失：重传计时器到期，可从任何状态发生；cwnd 变为一个报文段，重新开始慢启动（RFC 6298 §5）。
cc-numbers = cwnd { $cwnd } · ssthresh { $ssthresh } · Linux：{ $state }
tui-congestion = 拥塞控制：{ $actor } 的套接字 { $socket }（{ $algorithm }）
tui-congestion-short = { $phase }：cwnd { $cwnd } · ssthresh { $ssthresh }
watch-congestion-unread = 这些连接的拥塞窗口无法显示：它们的套接字属于不是由 socklab 启动的程序，位于本机自己的网络命名空间中，而 socklab 只向内核询问它自己的命名空间（即课程的命名空间）里的套接字。`ss -ti` 可以为它们打印这些数字。
error-no-hold = 课程 `{ $id }` 不能在扣留模式下运行：{ $why }
error-hold-loopback = 课程 `{ $id }` 在回环接口上运行，那里无法扣留数据包：--hold 需要一节在实验线路上运行的课程（tcp-handshake-held、tcp-retransmission 等）
error-no-ipv6 = 课程 `{ $id }` 不能通过 IPv6 运行：{ $why }
error-no-ipv6-lesson = 课程 `{ $id }` 写了 `ipv6_lesson = "{ $other }"`，但没有这一课
error-all-one-file = --pcap 和 --mermaid 只指定一个文件，所以只能配合单个课程使用，不能与 --all 一起用
## TCP 状态图（RFC 9293 §3.3.2，图 5）：`socklab states` 与课堂视图（--tui）。箭头上的事件和动作保留 RFC 的写法，附中文。

tcp-do-passive-open = 被动 OPEN
tcp-do-active-open = 主动 OPEN
tcp-do-close = CLOSE
tcp-do-send = SEND
tcp-do-create-tcb = 创建 TCB
tcp-do-delete-tcb = 删除 TCB
tcp-do-rcv-syn = 收到 SYN
tcp-do-rcv-syn-ack = 收到 SYN,ACK
tcp-do-rcv-ack-of-syn = 收到对 SYN 的 ACK
tcp-do-rcv-fin = 收到 FIN
tcp-do-rcv-ack-of-fin = 收到对 FIN 的 ACK
tcp-do-rcv-rst = 收到 RST
tcp-do-snd-syn = 发送 SYN
tcp-do-snd-syn-ack = 发送 SYN,ACK
tcp-do-snd-ack = 发送 ACK
tcp-do-snd-fin = 发送 FIN
tcp-do-snd-rst = 发送 RST
tcp-do-timeout = 超时 = 2MSL
tcp-do-nothing = x
tcp-transition-label = { $event } / { $actions }
tcp-then = { $first }，然后{ $then }
states-title = TCP 状态图（RFC 9293 §3.3.2，图 5）。在课堂视图（--tui）中，C 和 S 标出客户端和服务器所处的状态。
states-transitions = 图中的箭头：让连接从一个状态进入下一个状态的事件 / TCP 随后做的事（x：不发送任何报文）。
states-not-drawn = 图中未画出：复位（RST）让任何状态进入 CLOSED（RFC 9293 §3.10.7）；一个同时确认了我方 FIN 的 FIN 让 FIN-WAIT-1 经过 FIN-WAIT-2 直接进入 TIME-WAIT（§3.10.7.4）。
tui-no-terminal = --tui 画的是全屏视图，输入和输出都需要是终端；这里有一个不是终端。去掉 --tui 即可得到文本输出，管道或文件都能接收。
tui-terminal-failed = 无法为 --tui 设置终端：{ $error }
tui-step = 第 { $step } 步（共 { $total } 步）· { $title }
tui-calls = 调用
tui-ladder = 报文
tui-states = TCP 状态（RFC 9293 §3.3.2）
tui-kernel = 内核的视图
tui-kernel-read = 内核的视图（第 { $step } 步之后读取）
tui-no-kernel = 尚未读取。
tui-no-tcp = 还没有 TCP 连接：连接的第一个报文到来时，它的状态会在这里亮起。
tui-udp-title = UDP：只有数据报，没有状态
tui-udp = UDP 没有连接，也没有状态：没有握手，数据报之间什么也不保留，关闭时也不发送任何东西。每个数据报各自独立；内核的视图列出每个套接字的地址。
tui-udp-datagrams = { $from } → { $to }：{ $count } 个数据报，{ $bytes } 字节
tui-legend = C：{ $client } · S：{ $server } · 粗箭头：上一个报文引起的状态变化
tui-endpoint-moved = { $mark } { $name }：{ $before } → { $after }（{ $label }）
tui-endpoint-stays = { $mark } { $name }：{ $state }
tui-status = 第 { $step } 步（共 { $total } 步）· 第 { $packet } 个报文（共 { $packets } 个）
tui-status-packets = 第 { $packet } 个报文（共 { $packets } 个）
tui-no-kernel-capture = 捕获文件里只有报文：没有内核的视图。
tui-status-past = 正在回看：按 n 前进
tui-status-end = 结束
tui-keys = n → 下一个 · b ← 后退 · 数字 g 跳到该步 · r 重看 · q 退出 · ? 按键
tui-help = n、→ 或 Enter：下一个报文 · b 或 ←：后退一个报文 · 数字后按 g：跳到该步 · r：重看本步 · q：退出 · ?：这些按键

## 让命令出错结束的情况：读不了或写不了的文件，建不起来的沙箱或实验网络。

error-cannot-read = 无法读取 { $path }：{ $error }
error-cannot-write = 无法写入 { $path }：{ $error }
error-output = 无法写出输出：{ $error }
error-some-failed = { $total } 课中有 { $failed } 课没有完成
error-replay-stopped = { $stopped }；在它之前的 { $frames } 帧已经重放
error-no-lesson-files = { $path } 中没有课程文件（*.toml）
error-not-a-capture = { $path } 不是 socklab 能读取的抓包文件（pcap 或 pcapng）：{ $reason }
error-capture-stopped = { $path }：第 { $frame } 帧：{ $reason }
error-frame = 第 { $frame } 帧：{ $reason }
error-write-capture = 无法写入抓包文件 { $path }：{ $error }
error-no-interface = 没有名为 `{ $name }` 的网络接口
error-capture-no-rights = socklab 在这里无权抓包（打开 AF_PACKET 套接字时：{ $error }）。它需要在沙箱内拥有 CAP_NET_RAW；获得它的办法见 `socklab run --help`
error-capture-open = 无法在 `{ $iface }` 上开始抓包：{ $error }
error-watch-no-rights = socklab watch 要读取 `{ $iface }` 上的数据包，这需要抓包的权限（CAP_NET_RAW）：{ $error }。请以 root 身份运行（`sudo socklab watch …`），或一次性把这个权限授予可执行文件：`sudo setcap cap_net_raw+ep { $exe }`
error-recording-empty = { $path } 是空的：录制文件的第一行会说明它是录制文件
error-not-a-recording = { $path } 不是 socklab 的录制文件（它的第一行应当是 {"{"}"socklab":"recording",…{"}"}；用 `socklab run LESSON --record FILE` 可以录制一个）
error-recording-newer = { $path } 由 socklab { $version } 以录制格式 { $format } 录制；这个 socklab 只能读取格式 { $supported }：请用那个版本显示它，或重新录制这一课
error-recording-damaged = { $path }:{ $line }：这一行已损坏，不是录制中的事件（{ $message }）
recording-event-version = 它的事件是第 { $v } 版的，而录制格式 { $format } 装的是第 { $events } 版的事件
error-unknown-exercise = 没有名为 `{ $id }` 的练习{ $hint }
hint-exercise-did-you-mean = ；你是不是想找 `{ $near }`？（`socklab exercise list`）
hint-exercise-list = ；`socklab exercise list` 会列出所有练习
error-exists = { $path } 已经存在：socklab 不会覆盖它（请换一个文件名）
error-scratch = 无法准备程序所用的文件夹：{ $error }
error-no-command = 请在 `--` 之后给出运行你的程序的命令，例如 `socklab exercise check { $id } -- python3 my_program.py`
error-no-program-file = { $dir } 中没有文件 `{ $file }`：请给出从这里出发的路径，或者先写好它（`socklab exercise start { $id } { $file }` 会写出一个起步文件）
exercise-not-an-exercise = 这是一节课程，不是练习：它没有 `[exercise]` 表
error-cannot-start = 无法启动 `{ $command }`：{ $error }
error-empty-command = 命令是空的
error-no-scratch-name = 找不到可用的临时文件夹名
error-lab-network = 无法搭建实验网络（{ $step }）：{ $error }
lab-step-ipv6-off = 在实验线路上关闭 IPv6
lab-step-namespace = 为 { $actor } 创建命名空间
lab-step-loopback = { $actor } 的回环接口
lab-step-cable = 连到 { $actor } 的网线
lab-step-eth0 = { $actor } 的 eth0
lab-step-wire-end = 实验线路的端口 { $end }
lab-step-link-up = 等 { $actor } 的 eth0 接通（内核报告它已有载波）
lab-step-wake = 交换机的唤醒机制
lab-step-switch = 实验线路的交换机
error-no-sandbox = 每一课都在一个私有的网络命名空间中运行，但这里一个也创建不了（{ $attempts }）。
    以下任何一种办法都能解决：
      1. 以 root 身份运行 socklab，例如 `sudo socklab run LESSON`；
      2. 允许非特权用户命名空间：`sudo sysctl -w user.max_user_namespaces=15000`（Debian 11 之前还需要 `kernel.unprivileged_userns_clone=1`；Ubuntu 24.04 及以后还需要 `kernel.apparmor_restrict_unprivileged_userns=0`）；
      3. 给可执行文件授予它需要的能力：`sudo setcap cap_sys_admin,cap_net_admin,cap_net_raw+ep { $exe }`。
sandbox-attempt-network = 网络命名空间：{ $error }
sandbox-attempt-user = 用户命名空间：{ $error }
error-sandbox-setup = socklab 创建了沙箱，但无法完成设置（{ $step }：{ $error }）
sandbox-step-lo-up = 启用 lo
sandbox-step-socket-table = 为沙盒建立自己的 TCP 套接字表
sandbox-step-tso-off = 关闭 lo 上的 TSO
sandbox-step-gso-off = 关闭 lo 上的 GSO
check-no-problems = 检查了 { $files } 个课程文件：没有问题。
check-problems = 检查了 { $files } 个课程文件：发现 { $problems } 个问题。

## 抓包文件或其中某一帧读不了的原因。

capture-empty = 文件是空的
capture-too-short = 文件比任何抓包文件头都短
capture-pcapng-header-short = pcapng 节头部被截断了
capture-pcapng-no-magic = pcapng 节头部没有字节序魔数
capture-pcapng-version = pcapng 版本 { $major }（socklab 和 libpcap 一样，只读取版本 1）
capture-pcapng-header-length = pcapng 节头部的长度（{ $len } 字节）不可能成立
capture-unknown-magic = 它开头的几个字节既不是 pcap 文件头，也不是 pcapng 文件头
capture-pcap-header-short = pcap 文件头被截断了
capture-pcap-version = pcap 版本 { $major }.{ $minor }（socklab 和 Wireshark 一样，只读取 2.x）
capture-cut = 文件在这一帧的中间结束了：它被截断了
capture-read-on = 无法继续读取：{ $error }
capture-record-too-big = 它的记录说抓到了 { $caplen } 字节，比任何帧能容纳的都多：文件从这里开始已损坏
capture-block-length = pcapng 块的长度（{ $len } 字节）不可能成立：文件从这里开始已损坏
capture-section-no-magic = 新的 pcapng 节没有字节序魔数：文件从这里开始已损坏
capture-section-length = pcapng 节头部的长度（{ $len } 字节）不可能成立：文件从这里开始已损坏
capture-section-version = 新的 pcapng 节的版本是 { $major }（socklab 只读取版本 1）
capture-packet-block-short = 分组块比它自己的头部还短：文件从这里开始已损坏
capture-packet-block-data = 分组块说它装有 { $caplen } 字节，实际只有 { $len } 字节长：文件从这里开始已损坏
capture-simple-block-short = 简单分组块比它自己的头部还短：文件从这里开始已损坏
frame-link-type = 链路类型 { $link }
frame-link-type-named = 链路类型 { $link }（{ $name }）
frame-unread-link = socklab 不读取{ $link }：它的帧都会被跳过
frame-unknown-interface = 它的分组块指向一个文件从未描述过的接口；链路类型未知
frame-header-short = { $header } 头部被截断：它需要 { $need } 字节，帧中只剩 { $have } 字节
frame-radiotap-length = radiotap 头部说它有 { $len } 字节长，而帧只有 { $have } 字节
frame-vlan-tags = 超过 16 个 VLAN 标签：这个帧不合常理
frame-ip-version = { $header } 头部的 IP 版本号是 { $version }
frame-ipv4-header-length = IPv4 头部长度是 { $header } 字节，小于每个头部都有的 20 字节
frame-ipv4-total-length = IPv4 总长度是 { $total } 字节，比它自己 { $header } 字节的头部还小
frame-empty = 帧是空的
frame-tcp-offset-small = TCP 数据偏移是 { $header } 字节，小于每个头部都有的 20 字节
frame-tcp-offset-large = TCP 数据偏移是 { $header } 字节，超过了报文段的 { $len } 字节

## The lesson checker (`socklab check`, and every lesson file loaded): one problem each, placed at its file, line and column. Backquoted words are the lesson format's own: keys, values and names from the file, never translated.
check-no-steps = 一个课程至少要有一个步骤（[[steps]]）
check-no-ipv6-wire = 它的正文讲的是实验线路上的 IPv4（10.0.0.x 地址、ARP）。
check-id = 课程 id `{ $id }` 只能由小写字母、数字和 `-` 组成
check-in-field = `{ $field }`：{ $problem }
check-actor-name = 角色名 `{ $name }` 必须是 Python 风格的标识符
check-actor-twice = 角色 `{ $name }` 列出了两次
check-two-actors = 一个课程至少要有两个角色（例如 ["client", "server"]）
check-ipv6-only-and-no-ipv6 = 一个课程不能同时有 `ipv6_only` 和 `no_ipv6`
check-ipv6-lesson-without-no-ipv6 = `ipv6_lesson` 要和 `no_ipv6` 一起用：`no_ipv6` 说明这个课程为什么不能在 IPv6 上运行
check-no-hold-on-loopback = `no_hold` 说明实验线路上的课程为什么不能扣留数据包：这个课程运行在回环上，回环本来就从不扣留数据包
check-no-hold-and-hold = 一个课程不能同时有 `[network] hold = true` 和 `no_hold`
check-no-hold-empty = `no_hold` 要用一句话说明原因
check-everyone-as-actor = `{ $everyone }` 是实验线路的广播地址，不能用作角色名
check-fault-outside-step = 故障属于它起作用的那个步骤：把它移到那个步骤里，写成 `[[steps.faults]]`；这样它的 `nth` 从该步骤开始时计数，学习者用多长时间都不会改变它命中哪一帧
check-fault-without-network = 故障发生在实验线路上：要使用故障，请添加一个 [network] 表
check-step-empty = 步骤的 `{ $field }` 不能为空
check-in-question = 问题：{ $problem }
check-answer-given-away = 步骤的正文泄露了问题的答案（“{ $answer }”）：还没提问，它就说了“{ $words }”。先提问，再在 `after` 或问题的 `explain` 里讲出答案
check-check-outside-exercise = `[steps.check]` 只能出现在练习里（带有 `[exercise]` 的文件）
check-mtu-ipv6 = `mtu` { $mtu } 对 IPv6 来说太小：IPv6 至少需要 1280（RFC 8200 §5）
check-language-code = `{ $code }` 不是语言代码（例如 fr、de、pt-br）
check-mtu-range = `mtu` { $mtu } 超出范围：IPv4 至少需要 576，socklab 最多允许 9000
check-latency-unknown-actor = `latency_ms` 提到了 `{ $name }`，但它不是角色
check-latency-too-long = `latency_ms` { $ms } 太长：socklab 每条网线最多允许 { $max } 毫秒，这样每个步骤仍能在时限内结束
check-too-many-hosts = 实验线路最多容纳 { $max } 台主机
check-sysctl-not-net = sysctl `{ $name }`：每台主机只能设置网络设置（net.…）
check-sysctl-value = sysctl `{ $name }`：`{ $value }` 既不是数字也不是字符串
check-apart-unknown-actor = `apart` 提到了 `{ $name }`，但它不是角色
check-groups-need-ipv6 = socklab 的组播 `groups` 使用 IPv6：请在课程开头加上 `ipv6_only = true`
check-group-name = 组名 `{ $name }` 必须是 Python 风格的标识符，并且不能是角色名或 `{ $everyone }`
check-group-not-ipv6 = 组 `{ $name }`：`{ $address }` 不是 IPv6 地址
check-group-not-link-local = 组 `{ $name }`：`{ $address }` 不是链路本地组播组（ff02::…）：socklab 的组只在实验线路上
check-group-all-nodes = 组 `{ $name }`：ff02::1 是链路上的所有节点；请改为发送到 `{ $everyone }`
check-fault-one-action = 一个故障恰好需要 `drop`、`duplicate`、`delay`、`reorder`、`corrupt` 中的一个，写明它针对哪些帧（例如 drop = "client > server ACK data"）
check-delay-needs-ms = `delay` 需要 `ms`，取值 1 到 2000
check-ms-without-delay = 只有 `delay` 才带 `ms`
check-fault-unknown = `{ $fault }` 不是 socklab 认识的故障
check-nth-and-every = `nth` 和 `every` 只能给一个
check-count-with-every = `count` 要和 `nth` 一起用（从第 n 帧起连续这么多帧），不能和 `every` 一起用
check-nth-from-one = `nth` 和 `every` 从 1 开始计数
check-count-zero = `count` 是连续多少帧，至少为 1
check-question-choices = 一个问题至少需要两个 `choices`
check-question-answer = `answer` 是正确选项的编号，取值 1 到 { $choices }
check-question-text = 一个问题需要 `ask` 和 `explain` 文字
check-chat-until = 聊天的 `lines` 必须以 `until`（"{ $until }"）结尾，否则 --auto 永远不会停
check-congestion-needs-wire = `congestion` 在实验线路上、在两次往返之间读取内核：请添加带 `latency_ms` 的 [network] 表
check-congestion-sender-far = `congestion` 把 `{ $name }` 的内核读数和抓包对照，而抓包是在交换机上做的：`{ $actor }` 的网线不能有延迟（把延迟给其他主机：latency_ms = {"{"} { $other } = 25 {"}"}）
check-congestion-needs-latency = `congestion` 在两次往返之间读取内核：线路需要延迟（[network] 里的 `latency_ms`），往返之间才有间隔
check-id-used = 课程 id `{ $id }` 已被 { $other } 使用
check-ipv6-lesson-missing = `ipv6_lesson` 提到了 `{ $id }`，但这些课程里没有它
check-ipv6-lesson-not-ipv6 = `ipv6_lesson` 提到了 `{ $id }`，但它不是 IPv6 课程（`ipv6_only = true`）

## The checker, on one call of a step (`calls = [...]`).
check-arg-string = `{ $op }` 的 `{ $key }` 必须是字符串
check-arg-amount = `{ $op }` 的 `{ $key }` 必须是{ $what }
check-amount-bytes = 字节数
check-amount-port = 端口号（0 到 65535）
check-amount-number = 数字
check-arg-flag = `{ $op }` 的 `{ $key }` 必须是 true 或 false
check-arg-seconds = `{ $op }` 的 `{ $key }` 必须是数字
check-unknown-key-near = 未知的键 `{ $key }`：你是不是想写 `{ $near }`？
check-unknown-key = 未知的键 `{ $key }`：一个调用由一个操作（{ $operations }）和它的参数组成
check-no-operation = 一个调用需要一个操作键来指明它的套接字，可以是：{ $operations }
check-several-operations = 一个调用只有一个操作，这个调用却有 { $operations }
check-and = {" "}和{" "}
check-or = {" "}或{" "}
check-foreign-argument = `{ $op }` 不带 `{ $arg }`（它带的是：{ $allowed }）
check-operation-string = `{ $op }` 用字符串指明它的套接字：{ $op } = "server"
check-error-near = `error` 写的是 `{ $name }`：你是不是想写 `{ $near }`？
check-error-unknown = `error` 写的是 `{ $name }`；socklab 认识的有：{ $known }
check-error-string = `error` 用字符串写出一个 Python 异常名
check-no-socket-near = 没有名为 `{ $name }` 的套接字：你是不是想写 `{ $near }`？
check-no-socket-yet = 还没有名为 `{ $name }` 的套接字：先用 {"{"} socket = "{ $name }", type = "stream" {"}"} 创建它
check-closed = 套接字 `{ $name }` 已经关闭了
check-not-connected = `{ $name }` 没有连接
check-settimeout-seconds = `settimeout` 需要 `seconds`
check-seconds-range = `seconds` 必须在 0.01 到 3 之间：每次等待都有上限
check-already-bound = `{ $name }` 已经绑定或连接了
check-bind-port = `bind` 需要 `port`
check-bind-address = 课程在 socklab 的沙箱里绑定 "" 或 "127.0.0.1"，不能绑定 `{ $address }`
check-listen-unbound = `{ $name }` 必须先绑定才能监听：服务器需要一个大家知道的端口
check-accept-as = `accept` 需要 `as`，即新套接字的名字
check-accept-not-listening = `{ $name }` 必须先监听才能接受连接
check-io-unconnected-tcp = `{ $name }` 没有连接：TCP 在 `{ $op }` 之前必须先连接（或被接受）
check-io-unconnected-udp = `{ $name }` 没有连接：UDP 用 sendto()，或者在 `{ $op }` 之前先连接
check-join-group = `join` 需要 `group`，即 `[network] groups` 里的一个名字
check-join-everyone = 每台 IPv6 主机本来就在 `{ $group }`（ff02::1）里：不需要加入
check-join-unknown = `{ $group }` 不在本课程的 `[network] groups` 里
check-socket-actor = 套接字 `{ $name }` 属于角色 `{ $actor }`，但它不在 `actors`（{ $actors }）里；请加上 `actor = "…"`
check-socket-type-near = 套接字类型 `{ $kind }` 不认识：你是不是想写 "{ $near }"？
check-socket-type-unknown = 套接字类型 `{ $kind }` 不认识：请用 "stream"（TCP）或 "dgram"（UDP）
check-socket-type-missing = `socket` 需要 `type`："stream"（TCP）或 "dgram"（UDP）
check-names-near = `{ $key }` 写的是 `{ $name }`：你是不是想写 `{ $near }`？
check-names-unknown-socket = `{ $key }` 写的是 `{ $name }`，但它不是本课程的套接字
check-needs-tcp = `{ $key }` 需要 TCP（stream）套接字，而 `{ $name }` 不是
check-needs-connected = `{ $key }` 要求 `{ $name }` 已连接（或已被接受），并且在这一步的调用之后仍然打开
check-chat-sockets = 聊天需要两个已连接的 TCP 套接字，而 `{ $name }` 在这里不是
check-socket-name = 套接字名 `{ $name }` 必须是 Python 风格的标识符
check-socket-exists = 名为 `{ $name }` 的套接字已经存在
check-needs-to = 这个调用需要 `to`：它发往的套接字（或者角色，再加上 `port`）
check-group-broadcast = IPv6 没有广播：`{ $to }` 是组播组；请去掉 `broadcast = true`
check-group-tcp = `{ $to }` 是组播组：只有 UDP 能发往它
check-group-port = 发往组 `{ $to }` 需要 `port`
check-port-to-actor = 带 `port` 时，`to` 写的是角色（{ $actors }），而不是 `{ $to }`
check-ipv6-broadcast = IPv6 没有广播：请改为发往 `{ $everyone }`（所有节点组）
check-everyone-needs-broadcast = `{ $to }` 是广播地址：请加上 `broadcast = true`
check-broadcast-needs-port = `broadcast = true` 需要 `to`（一个角色）和 `port`
check-to-unknown = `to` 写的是 `{ $to }`，但它不是本课程的套接字
check-to-other-kind = `{ $to }` 不是同一种套接字（TCP/UDP）
check-to-unbound = `{ $to }` 没有已知的端口：请先绑定它
check-op-needs-tcp = `{ $op }` 需要 TCP（stream）套接字，而 `{ $name }` 不是
check-op-needs-udp = `{ $op }` 需要 UDP（datagram）套接字，而 `{ $name }` 不是
check-repeat-zero = `repeat` 至少为 1
check-text-and-time = `text` 和 `time = true` 只能给一个
check-text-time-file = `text`、`time = true`、`file` 只能给一个
check-needs-text = `{ $op }` 需要 `text`，即要发送的字符串
check-setsockopt-option = `setsockopt` 需要 `option`，例如 "SO_REUSEADDR"
check-congestion-value = `{ $option }` 的 `value` 是算法的名字：{ $algorithms }
check-congestion-near = 拥塞控制 `{ $algorithm }` 不是 socklab 讲解的算法：你是不是想写 `{ $near }`？
check-congestion-unknown = 拥塞控制 `{ $algorithm }` 不是 socklab 讲解的算法：{ $known }
check-option-near = 选项 `{ $option }` 不是 socklab 认识的：你是不是想写 `{ $near }`？
check-option-unknown = 选项 `{ $option }` 不是 socklab 认识的：{ $known }

## The checker, on expectations, placeholders in prose, and translations.
check-expect-grammar = 期望 `{ $text }` 应该写成 `FROM > TO WHAT`，例如 `client > server SYN`
check-expect-actor = 期望 `{ $text }` 提到了 `{ $name }`，但它不是角色（{ $actors }）
check-expect-itself = 期望 `{ $text }` 从 `{ $name }` 发给它自己
check-expect-empty = 期望 `{ $text }` 没有说明是什么数据包：请加上标志位（SYN、ACK 等）或 UDP
check-expect-flag = `{ $text }` 里的 `{ $flag }` 不是 SYN、ACK、FIN、RST、PSH、data、win=0、UDP 或 ICMP
check-prose-close = 有 `{"}"}` 却没有对应的 `{"{"}`：占位符的写法是 `{"{"}python: b'' | rust: Ok(0){"}"}`
check-prose-open = 有 `{"{"}` 却没有对应的 `{"}"}`：占位符的写法是 `{"{"}python: b'' | rust: Ok(0){"}"}`
check-prose-nested = 占位符不能嵌套
check-prose-missing-language = 占位符 `{"{"}{ $inner }{"}"}` 没有 `{ $language }` 的文字：两种语言都要写，`{"{"}python: … | rust: …{"}"}`
check-prose-not-placeholder = `{"{"}{ $inner }{"}"}` 不是占位符：请写成 `{"{"}python: … | rust: …{"}"}`，每种语言后面跟一个冒号
check-prose-language = `{"{"}{ $inner }{"}"}` 里的 `{ $language }` 不是显示代码所用的语言（python、rust）
check-prose-twice = `{"{"}{ $inner }{"}"}` 里 `{ $language }` 出现了两次
check-tr-lacks = 翻译 `{ $lang }` 缺少 { $what }
check-tr-exercise-table = `[translations.LANG.exercise]`（练习的任务、约定和提示）
check-tr-hints = 翻译 `{ $lang }`：练习有 { $hints } 条提示，翻译有 { $translated } 条
check-tr-starter-code = 翻译 `{ $lang }`：`exercise.starter` 只翻译起步文件的注释：它的第 { $line } 行应当和起步文件一样，是 `{ $code }`
check-tr-starter-extra = 翻译 `{ $lang }`：`exercise.starter` 只翻译起步文件的注释：它的第 { $line } 行是起步文件里没有的代码
check-tr-not-exercise = 翻译 `{ $lang }` 有 `exercise` 表，但这个课程不是练习
check-tr-steps = 翻译 `{ $lang }` 有 { $translated } 个步骤（[[translations.{ $lang }.steps]]），课程有 { $steps } 个：每个步骤一个，按顺序
check-tr-step = 翻译 `{ $lang }`，第 { $number } 步：{ $problem }
check-tr-missing = 缺少 { $what }
check-tr-missing-question-field = 缺少问题的 `{ $field }`
check-tr-no-after = 这一步没有要翻译的 `after`
check-tr-choices = 问题有 { $choices } 个选项，翻译有 { $translated } 个
check-tr-no-translated-question = 缺少问题
check-tr-no-question = 这一步没有要翻译的问题
check-tr-given-away = 步骤的正文泄露了问题的答案（“{ $answer }”）：还没提问，它就说了“{ $words }”
check-tr-no-fail = 这一步没有要翻译的检查 `fail`

## The checker, on an exercise's tables (`[exercise]`, `[steps.check]`), and on what TOML and its reader say.
check-ex-program = `program = "{ $program }"` 不是角色（{ $actors }）
check-ex-file-large = 文件 `{ $name }` 大于 16 MiB
check-ex-file-content = 文件 `{ $name }` 需要 `text` 或 `size`（带编号的行，共多少字节），两者给一个
check-ex-file-name = 文件名 `{ $name }` 必须是简单的名字（字母、数字、`.`、`_`、`-`），不能带目录
check-ex-seconds = `seconds` 必须在 1 到 120 之间
check-ex-start = `start` 取 `listen` 或 `bind`，不能两个都给
check-ex-received-both = `received` 和 `received_file` 只能给一个
check-ex-received-without-recv = `received` 比较的是接收调用收到的内容，而这一步没有接收调用（recv、recv_all、recvfrom）
check-ex-running-exits = `running` 和 `exits` 的要求正好相反：只能给一个
check-ex-earlier-not-expected = `may_come_earlier` 写的 '{ $text }' 不是本步骤期望的包（`expect`）之一：只有期望的包才可以在前面的步骤里出现
check-ex-starts = 必须恰好有一个步骤启动程序（`[steps.check] start = …`）；现在有 { $starts } 个
check-ex-program-socket = 第 { $number } 步：套接字 `{ $name }` 属于 `{ $actor }`，也就是学习者的程序：socklab 只替其他角色调用
check-ex-no-file = 第 { $number } 步：`[exercise] files` 里没有文件 `{ $name }`
check-toml = TOML 写法有误：{ $problem }
check-unknown-field-near = 未知字段 `{ $field }`：你是不是想写 `{ $near }`？
check-unknown-field = 未知字段 `{ $field }`，这里可以用的是 { $expected }
check-missing-field = 缺少字段 `{ $field }`
check-invalid-type = 类型不对：写的是 { $found }，应该是 { $expected }

## An exported program's comments (`run --export FILE`): its header, and a line before each step's calls.
export-title = socklab 课程 { $id }：{ $title }
export-prints-python = 每个 print() 打印的，就是课程里 >>> 提示符在那里回显的内容。
export-prints-rust = 每个 println! 打印的，就是课程里那一处注释所写的值。
export-one-program = `{ $command }` 显示的代码，按顺序合成一个程序。{ $prints }
export-run-it = 像 socklab 那样，在一个单独的网络命名空间里运行它（它用的是固定端口；端口、时间和序号每次运行都不一样）：
export-cargo = 把 { $file } 作为包 PACKAGE 的 src/main.rs
export-host-calls = `{ $command }` 显示的代码中，主机 { $host }（{ $address }）的调用，按顺序排列。{ $prints }
export-other-hosts = 在 socklab 的实验线路上，每个角色都是一台单独的主机；其他主机的调用在 { $files } 里。socklab 按课程的顺序依次执行所有调用，它的线路按课程设定的故障处理主机之间的帧。这些程序如果在真实的主机上启动，会同时运行，而且线路不会故意丢失任何东西：它们打印什么，就取决于谁先到达。请对照课程阅读它们，或者在具有这些地址的主机上运行，每个程序都要在别的程序的调用需要它之前启动。
export-step = 第 { $step } 步（共 { $total } 步）· { $title }
