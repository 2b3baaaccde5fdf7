# socklab --help 的简体中文版。英文原文是 src/app.rs 里命令行定义的文档注释；
# 这里每条对应其中一段：help-<子命令路径>-about 是命令的说明，
# help-<子命令路径>-arg-<参数 id> 是参数的说明（有测试检查两边一一对应）。
# 译法遵守 zh.ftl 开头的译者须知。

help-about = 真实的 TCP 与 UDP 交互，抓包并逐步讲解
help-long-about =
    真实的 TCP 与 UDP 交互，抓包并逐步讲解。

    每个课程都在一个私有的网络命名空间里运行真实的套接字，抓取经过回环接口的数据包，并把每个数据包画在梯形图上，标出它的标志位、相对序号和每个套接字的状态。
help-arg-color = 什么时候使用颜色：`auto` 表示标准输出是终端且没有设置 NO_COLOR 时
help-arg-lang = socklab 和课程使用的语言：`zh`（简体中文）或 `en`；课程若译成了别的语言（`fr`），就用那种语言显示它自己的正文。默认按区域设置（LANGUAGE、LC_ALL、LC_MESSAGES、LANG）选择，socklab 不会说的语言就用英文
help-arg-width = 文字排版的列数（至少 60）。默认是终端的宽度，最多 100；输出不是终端时为 80
help-arg-ascii = 用纯 ASCII（`-->`、`<--`、`+`）代替制表线、箭头和 ✓：中文、日文或韩文区域设置下的终端常把这些符号画成两列宽（梯形图就会错位）
help-arg-theme = 适合深色或浅色背景的配色（投影仪通常是浅色）：`light` 不用白色、黄色和亮色；`contrast` 完全不用颜色（用粗体和粗线标出本该用颜色强调的地方），适合把颜色冲淡的投影仪。默认采用终端自己的说法（COLORFGBG，如果有），否则用 `dark`。无论哪种，学习者读的正文都用终端自己的颜色，颜色只用来强调文字已经说了的内容
help-arg-theme-dark = 深色背景上的浅色文字
help-arg-theme-light = 浅色背景（以及大多数投影仪）上的深色文字：不用白色、黄色和亮色
help-arg-theme-contrast = 适合把颜色冲淡的投影仪：完全不用颜色，只用终端自己的前景色和背景色，这是它最强的对比；本该用颜色标出的地方用粗体标出
help-list-about = 按学习顺序列出课程
help-list-arg-lessons = 从这个目录加载课程，而不是用内置的课程
help-replay-about = 给一个抓包文件（pcap 或 pcapng，来自 socklab、tcpdump 或 Wireshark）加上和课程一样的梯形图讲解
help-replay-arg-file = 抓包文件
help-replay-arg-auto = 一直往下走，不等待回车（标准输入不是终端时自动如此）
help-replay-arg-tui = 课堂视图：全屏显示课程，每个数据包都会点亮 TCP 状态图（RFC 9293 §3.3.2）中的对应转换，代码、数据包和内核视图并排显示。需要终端
help-replay-arg-all_packets = 长传输的每个数据包都显示出来，而不是汇总成一行
help-replay-arg-mermaid = 另外把显示的内容写成 Mermaid 时序图
help-replay-arg-cast = 另外录制一段终端录像（asciicast v2，可用 asciinema 的播放器和幻灯片播放），每个步骤处有一个标记
help-replay-arg-cast_pace = 录像中两个数据包之间的秒数
help-replay-arg-format = `ladder`：梯形图和讲解；`lines`：每个数据包一行（时间、地址、标志位、相对序号），适合很长的抓包；`json`：每个数据包一个 JSON 对象（模式见 README）
help-replay-arg-pcap = 另外把读到的每一帧写入这个 pcap 文件，保持抓包原来的链路类型（pcapng 文件会变成经典的 pcap）
help-watch-about = 观察不是 socklab 启动的程序：它们在本机回环上的 TCP 和 UDP，在同样的梯形图上实时讲解，直到按 Ctrl-C，最后给出每个会话的摘要。需要抓包权限（root 或 CAP_NET_RAW）；只监听，从不开启混杂模式
help-watch-arg-ports = 只看这个端口的流量（可重复给出多个）；不给时看所有端口
help-watch-arg-iface = 要监听的网络接口
help-watch-arg-seconds = 过了这么多秒后自动停止
help-watch-arg-all_packets = 长传输的每个数据包都显示出来，而不是汇总成一行
help-watch-arg-format = `ladder` 或 `json`（每个数据包一个对象，最后每个会话一个）
help-watch-arg-pcap = 另外把所观察端口的帧写入这个 pcap 文件
help-watch-arg-mermaid = 另外把显示的内容写成 Mermaid 时序图
help-show-about = 显示用 `run --record` 录下的记录：原样重现那次运行，一步一步，不需要命名空间、root 或网络
help-show-arg-file = 记录文件（由 `socklab run LESSON --record FILE` 生成）
help-show-arg-auto = 一直往下走，不等待回车（标准输入不是终端时自动如此）
help-show-arg-tui = 课堂视图：全屏显示课程，每个数据包都会点亮 TCP 状态图（RFC 9293 §3.3.2）中的对应转换，代码、数据包和内核视图并排显示。需要终端
help-show-arg-code = 用这种语言显示每个调用
help-show-arg-code-python = Python 的 `socket` 模块，在 `>>>` 提示符下输入
help-show-arg-code-rust = Rust，用 socket2 crate
help-show-arg-all_packets = 长传输的每个数据包都显示出来，而不是汇总成一行
help-show-arg-format = `ladder`，或 `json`：记录中的事件，格式和 `run --format json` 写出的一样
help-show-arg-mermaid = 另外把显示的内容写成 Mermaid 时序图
help-show-arg-cast = 另外录制一段终端录像（asciicast v2，可用 asciinema 的播放器和幻灯片播放），每个步骤处有一个标记
help-show-arg-cast_pace = 录像中两个数据包之间的秒数
help-glossary-about = socklab 使用的术语，中英文对照，每个附一行解释（加 `--lang zh` 用中文解释）
help-states-about = TCP 状态图（RFC 9293 §3.3.2，图 5），每个转换都带标注，纯文本，供学习用
help-schema-about = 输出 `--format json`（以及记录中的事件）的 JSON Schema：socklab 写出的事件类型，按版本列出
help-check-about = 检查课程文件而不运行：每个问题都列出文件、行号和列号（有问题时退出状态为 2）
help-check-arg-path = 一个课程文件，或一个放课程文件（*.toml）的目录。不给时检查内置的课程
help-exercise-about = 练习：自己写程序；socklab 在它的沙箱里运行你的程序，真实地扮演另一端，并在梯形图上指出哪里出了问题
help-exercise-list-about = 按顺序列出练习，每个练习附一句话说明任务
help-exercise-list-arg-exercises = 从这个目录加载练习，而不是用内置的练习
help-exercise-show-about = 任务：要写什么、确切的约定、会检查什么、提示
help-exercise-show-arg-id = 练习的 id，和 `socklab exercise list` 显示的一样
help-exercise-show-arg-exercises = 从这个目录加载练习，而不是用内置的练习
help-exercise-start-about = 写出一个 Python 起步文件（程序结构和 TODO，从不包含答案）；已有的文件绝不会被覆盖
help-exercise-start-arg-id = 练习的 id，和 `socklab exercise list` 显示的一样
help-exercise-start-arg-file = 要写出的文件（默认以练习的 id 命名，如 `echo_server.py`）
help-exercise-start-arg-exercises = 从这个目录加载练习，而不是用内置的练习
help-exercise-check-about = 真实地运行你的程序并检查它：`socklab exercise check echo-server -- python3 my_server.py`。所有检查都通过时退出状态为 0，有检查失败时为 1，程序无法启动时为 2
help-exercise-check-arg-id = 练习的 id，和 `socklab exercise list` 显示的一样
help-exercise-check-arg-command = 运行你的程序的命令，写在 `--` 之后
help-exercise-check-arg-exercises = 从这个目录加载练习，而不是用内置的练习
help-exercise-check-arg-format = `ladder`，或 `json`：每个事件一个对象，包括检查结果
help-exercise-check-arg-junit = 另外把检查结果写成 JUnit XML（供 CI 和自动评分使用）
help-exercise-check-arg-pcap = 另外把每一帧保存到一个 pcap 文件
help-exercise-check-arg-code = 用这种语言显示 socklab 这一端的交互
help-exercise-check-arg-code-python = Python 的 `socket` 模块，在 `>>>` 提示符下输入
help-exercise-check-arg-code-rust = Rust，用 socket2 crate
help-run-about = 运行一个课程：真实的套接字，真实的数据包，逐步讲解
help-run-long-about =
    运行一个课程：真实的套接字，真实的数据包，逐步讲解。

    socklab 在一个私有的网络命名空间里运行课程：以 root 身份运行时直接创建它，普通用户则通过用户命名空间创建。什么都不会发到它外面。两种方式都不行时，socklab 会告诉你怎样允许它。
help-run-arg-lesson = 课程的 id，和 `socklab list` 显示的一样
help-run-arg-all = 按 `socklab list` 的顺序运行所有课程，每个课程在自己的沙箱里运行，最后每个课程给出一行摘要
help-run-arg-auto = 一直运行下去，不等待回车（标准输入不是终端时自动如此）
help-run-arg-tui = 课堂视图：全屏显示课程，每个数据包都会点亮 TCP 状态图（RFC 9293 §3.3.2）中的对应转换，代码、数据包和内核视图并排显示。需要终端
help-run-arg-pcap = 另外把抓到的每一帧写入这个 pcap 文件（供 tcpdump、tshark 或 Wireshark 使用）
help-run-arg-lessons = 从这个目录加载课程，而不是用内置的课程
help-run-arg-code = 用这种语言显示每个调用
help-run-arg-code-python = Python 的 `socket` 模块，在 `>>>` 提示符下输入
help-run-arg-code-rust = Rust，用 socket2 crate
help-run-arg-ipv6 = 在 IPv6（::1）上运行，而不是 IPv4（127.0.0.1）
help-run-arg-all_packets = 长传输的每个数据包都显示出来，而不是汇总成一行
help-run-arg-mermaid = 另外把显示的内容写成 Mermaid 时序图（用于 Markdown 和幻灯片）
help-run-arg-cast = 另外录制一段终端录像（asciicast v2，可用 asciinema 的播放器和幻灯片播放），每个步骤处有一个标记
help-run-arg-cast_pace = 录像中两个数据包之间的秒数
help-run-arg-hold = 在实验线路上，把每个数据包扣留在线路上，直到按回车才放行，同时显示每个内核对自己的套接字是怎么看的
help-run-arg-format = `ladder`：梯形图和讲解；`json`：每个事件一个 JSON 对象（lesson、step、call、question、packet、kernel、after、end；模式见 README），和 --auto 一样一直运行下去
help-run-arg-record = 另外把整次运行保存到这个文件，以后可以用 `socklab show FILE` 再次显示（在任何地方，不需要命名空间或 root）
help-run-arg-export = 运行结束后，另外把它显示过的代码（用 --code 指定的语言）写成一个可以在 socklab 之外运行的程序：一个 Python 脚本，或一个 Rust 的 main.rs。在实验线路上，每台主机一个（FILE 的扩展名前加上主机名）

# clap 自己的用语。
clap-usage = 用法：{ $usage }
clap-commands = 命令
clap-arguments = 参数
clap-options = 选项
clap-flag-help = 显示帮助（用 --help 看完整的说明）
clap-flag-help-long = 显示帮助（用 -h 看摘要）
clap-flag-version = 显示版本
clap-default = 默认：{ $value }
clap-possible = 可选值：{ $values }
clap-possible-list = 可选值：
clap-value-colon = ：
clap-note-separator = ；
clap-with-notes = { $help }（{ $notes }）
clap-help-command = 显示这份帮助，或某个子命令的帮助

# clap 自己的错误信息（写错了选项、值不在可选范围内、命令拼错了）。
clap-error = 错误：
clap-error-tip = 提示：
clap-error-more = 想了解更多，请用 '--help'。
clap-error-because = ：
clap-error-unknown-argument = 不认识的参数 '{ $typed }'
clap-error-value-missing = '{ $arg }' 需要一个值，但没有给出
clap-error-invalid-value = '{ $typed }' 不是 '{ $arg }' 可以取的值
clap-error-unknown-command = 没有 '{ $typed }' 这个命令
clap-error-command-missing = '{ $arg }' 后面还需要一个命令
clap-error-commands = 命令：{ $names }
clap-error-required = 缺少必须给出的参数：{ $names }
clap-error-repeated = 参数 '{ $typed }' 只能用一次
clap-error-conflict = 参数 '{ $typed }' 不能和 { $others } 一起用
clap-error-conflict-others = 参数 '{ $typed }' 不能和其他已给出的参数一起用
clap-error-no-equals = 给 '{ $arg }' 赋值时需要等号（{ $arg }=值）
clap-error-too-many = '{ $arg }' 不再需要值了，却多出了 '{ $typed }'
clap-error-too-few = '{ $arg }' 需要 { $wanted } 个值，只给了 { $given } 个
clap-error-wrong-number = '{ $arg }' 需要 { $wanted } 个值，却给了 { $given } 个
clap-error-utf8 = 参数不是有效的 UTF-8 文本
clap-error-not-a-number = 这不是一个数
clap-error-number-too-large = 这个数太大了
clap-error-near-command = 有个相近的命令：{ $names }
clap-error-near-argument = 有个相近的参数：{ $names }
clap-error-near-value = 有个相近的值：{ $names }
clap-error-pass-as-value = 要把 '{ $typed }' 当作一个值，写成 '{ $arg }'
clap-error-exists = 有 '{ $arg }' 这种写法
clap-error-remove-dashes = 有 '{ $arg }' 这个命令；要用它，去掉它前面的 '--'
