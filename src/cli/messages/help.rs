//! Every help text of the command line, in both languages side by side: what `--help` says of
//! the program, each command and each flag, and the fixed words of a help page. The parser's
//! definition in `cli/` carries none of them; `cli::command` puts them in at start-up, in the
//! language of the run, and a test checks that every command and flag has its text here and that
//! every text here belongs to one.

use crate::domain::Lang;

/// The help of one command or flag: where it sits, then Chinese and English. `at` is the
/// command's path (`report`, `advisor add`; `""` for the program itself), then for a flag its
/// long name (`report --period`) and for an argument its id in angle brackets
/// (`export <file>`). A flag every command takes (`--db`, `--help`) is written without a path.
/// The generated `help` command's own entries (`help report`) read those of the command.
pub struct HelpText {
    pub at: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The text of the command or flag at `at`, in `lang`; `None` when there is none.
pub fn help_text(at: &str, lang: Lang) -> Option<&'static str> {
    HELP.iter()
        .find(|h| h.at == at)
        .map(|h| lang.of((h.zh, h.en)))
}

const PERIOD_ZH: &str = "期间：2024、2024-03、2024-Q1、2024-01-01..2024-06-30 或 all（默认：本月）";
const PERIOD_EN: &str =
    "2024, 2024-03, 2024-Q1, 2024-01-01..2024-06-30 or all [default: this month]";
const ITEM_ZH: &str = "事项：带 # 的编号（'#2024-0039'）或创建它时用的事项键";
const ITEM_EN: &str =
    "The item: its number with its `#` ('#2024-0039') or the key it was made with";
const FILE_ZH: &str = "CSV 文件（UTF-8，带或不带 BOM，或 GB18030/GBK）";
const FILE_EN: &str = "The CSV file (UTF-8, with or without BOM, or GB18030/GBK)";
const DRY_RUN_ZH: &str = "只检查文件并报告将导入的内容，不写入任何内容";
const DRY_RUN_EN: &str =
    "Check the file and report what would be imported, without writing anything";
const UPDATE_ZH: &str = "仅用于导入顾问（见 import advisors --update），此处不起作用";
const UPDATE_EN: &str = "For advisors only (see import advisors --update); no effect here";
const LIST_FORMAT_ZH: &str = "输出格式：table（表格）、csv 或 json";
const LIST_FORMAT_EN: &str = "table, csv or json";
const HEADER_ZH: &str =
    "CSV 的首行：keys（各列的键名，供程序读取）、zh 或 en（中文或英文列名，供人阅读）";
const HEADER_EN: &str = "The CSV's first row: keys (the columns' keys, which programs read), or \
    column names in Chinese (zh) or English (en), for people";
const IMPORT_HEADER_ZH: &str =
    "CSV 的首行：keys（各列的键名）、zh 或 en（中文或英文列名，导入时同样能读）";
const IMPORT_HEADER_EN: &str = "The CSV's first row: keys (the columns' keys), or column names in \
    Chinese (zh) or English (en), which import reads as well";
const PEER_ZH: &str = "该台账的名称或编号";
const PEER_EN: &str = "The store, by its name or id";

macro_rules! help {
    ($($at:expr => $zh:expr, $en:expr;)*) => {
        &[$(HelpText { at: $at, zh: $zh, en: $en }),*]
    };
}

/// The help of every command and flag.
pub static HELP: &[HelpText] = help! {
    "" => "记录政府法律顾问的服务事项与工时，并统计出报告所需的数字",
        "Log and tally the service items and hours of a government's legal advisors";
    "--db" => "台账所在的目录（默认：$XDG_DATA_HOME/counsel-log）",
        "The store directory [default: $XDG_DATA_HOME/counsel-log]";
    "--lang" => "界面、报告和提示所用的语言（默认：配置文件中的 lang，否则按 LANG）",
        "Language of labels, reports and messages [default: `lang` in the configuration, else \
            from LANG]";
    "--config" => "配置文件（默认：$XDG_CONFIG_HOME/counsel-log/config.toml）",
        "The configuration file [default: $XDG_CONFIG_HOME/counsel-log/config.toml]";
    "--demo" => "在临时台账中打开演示数据，不动您自己的台账",
        "Open a demo ledger in a temporary store instead of your own";
    "--start-afresh" => "忘掉本机记得的该台账情况（上次的审计记录位置、发现过的损坏）：用于有意还原\
            已消失的台账，或在原处新建空台账",
        "Forget what this computer remembers of the store (its last audit head, damage found in \
            it): to restore a vanished store, or begin an empty one there, on purpose";
    "--help" => "显示帮助", "Print help";
    "--version" => "显示版本", "Print version";
    "help" => "显示本帮助，或所给命令的帮助",
        "Print this message or the help of the given subcommand(s)";
    "help <subcommand>" => "要看其帮助的命令", "The command to show the help of";

    "advisor" => "添加、修改（set：姓名、类别、单位、在职）或列出顾问",
        "Add, change (set: name, category, unit, active) or list advisors";
    "advisor add" => "添加一名顾问", "Add an advisor";
    "advisor add --id" => "简短且唯一的编号，如 A001", "Short unique code, e.g. A001";
    "advisor add --name" => "姓名", "The advisor's name";
    "advisor add --category" => "类别：staff（首席/专职）、public-lawyer（公职律师）、external\
            （外聘律师）或 expert（特约专家），也可写中文名称",
        "staff, public-lawyer, external or expert (Chinese names accepted)";
    "advisor add --unit" => "服务的部门，或所在的律所、机构",
        "Department served, or firm or institution";
    "advisor set" => "修改顾问的姓名、类别或单位，或停用（重新启用）顾问",
        "Change an advisor's name, category or unit, or deactivate (or reactivate) them";
    "advisor set --id" => "顾问编号，如 A001（编号本身不能修改）",
        "The advisor's id, e.g. A001 (the id itself never changes)";
    "advisor set --name" => "新的姓名", "The new name";
    "advisor set --category" => "新的类别：staff、public-lawyer、external 或 expert（也可写中文名称）",
        "The new category: staff, public-lawyer, external or expert (Chinese names accepted)";
    "advisor set --unit" => "新的服务部门，或所在的律所、机构",
        "The new department served, or firm or institution";
    "advisor set --active" => "顾问离开时设为 false：不再计入参与率，也不能再记新的工时，过往记录照常\
            计入；设为 true 则重新启用",
        "false when the advisor has left: they no longer count in participation and take no new \
            entries, while their past entries still count; true brings them back";
    "advisor list" => "列出顾问", "List the advisors";
    "advisor list --format" => LIST_FORMAT_ZH, LIST_FORMAT_EN;
    "advisor list --header" => IMPORT_HEADER_ZH, IMPORT_HEADER_EN;

    "catalog" => "添加或列出领域和服务方式", "Add or list topics and service types";
    "catalog add" => "添加本单位自己的领域或服务方式", "Add a topic or service type of your own";
    "catalog add --kind" => "topic（领域）或 service（服务方式）", "topic or service";
    "catalog add --code" => "简短而固定的代码：小写英文字母、数字和 -，如 ecology",
        "A short stable code: lower-case letters, digits and -, e.g. ecology";
    "catalog add --zh" => "中文名称，如 生态环境", "The Chinese name, e.g. 生态环境";
    "catalog add --en" => "英文名称，如 \"Ecology and environment\"",
        "The English name, e.g. \"Ecology and environment\"";
    "catalog add --alias" => "输入时也认的其他名称（可多次给出）",
        "Another name accepted on input (repeat for several)";
    "catalog list" => "列出领域和服务方式，及其代码和别名",
        "List the topics and service types, with their codes and aliases";
    "catalog list --kind" => "只列领域（topic）或只列服务方式（service）",
        "Only topics, or only service types";
    "catalog list --format" => LIST_FORMAT_ZH, LIST_FORMAT_EN;
    "catalog list --header" => HEADER_ZH, HEADER_EN;

    "log" => "为一项服务事项记录所用的时间", "Log time spent on a service item";
    "log --advisor" => "顾问编号，如 A001（默认：配置文件中的 me）",
        "Advisor id, e.g. A001 [default: `me` from the configuration]";
    "log --hours" => "所用时间：1.5、1.5h、1:30、90m 或 1h30m",
        "Time spent: 1.5, 1.5h, 1:30, 90m or 1h30m";
    "log --topic" => "领域的代码或名称，如 info-disclosure 或 信息公开",
        "Topic code or name, e.g. info-disclosure or 信息公开";
    "log --service" => "服务方式的代码或名称，如 opinion 或 法律意见",
        "Service type code or name, e.g. opinion or 法律意见";
    "log --department" => "委托部门", "The requesting department";
    "log --title" => "服务事项的标题", "Title of the service item";
    "log --date" => "工作日期，YYYY-MM-DD（默认：今天）", "Date of the work, YYYY-MM-DD [default: today]";
    "log --item" => "记入已有的事项：它的事项键，或带 # 的台账编号（'#2024-0039'）；没有事项用过的键\
            则以该键新建事项",
        "Add to an existing item: its key, or the ledger's number with its `#` \
            ('#2024-0039'); a key no item has makes a new item under it";
    "log --satisfaction" => "委托部门的满意度：satisfied（满意）、basic（基本满意）、unsatisfied\
            （不满意）",
        "Satisfaction of the requesting department: satisfied, basic, unsatisfied";
    "log --note" => "备注", "A note on the entry";

    "import" => "从 CSV 文件导入顾问或工时记录，或合并签名数据包（全部导入或全不导入）",
        "Import advisors or entries from a CSV file, or a signed bundle (all or nothing)";
    "import advisors" => "顾问：表头为 id,name,category,unit 的 CSV",
        "Advisors: a CSV with the header id,name,category,unit";
    "import advisors <file>" => FILE_ZH, FILE_EN;
    "import advisors --dry-run" => DRY_RUN_ZH, DRY_RUN_EN;
    "import advisors --update" => "该文件是办公室的顾问名单：已有的顾问按文件更新姓名、类别、单位和\
            在职状态",
        "The file is the office's roster, and advisors already here take its name, category, \
            unit and active flag";
    "import entries" => "工时记录：表头为 date,advisor,hours,item,title,topic,service,department,\
            satisfaction,note 的 CSV",
        "Time entries: a CSV with the header \
            date,advisor,hours,item,title,topic,service,department,satisfaction,note";
    "import entries <file>" => FILE_ZH, FILE_EN;
    "import entries --dry-run" => DRY_RUN_ZH, DRY_RUN_EN;
    "import entries --update" => UPDATE_ZH, UPDATE_EN;
    "import bundle" => "来自已登记台账（或办公室）的签名数据包：全部合并或全不合并",
        "A signed bundle from an enrolled store (or office): merged all or nothing";
    "import bundle <file>" => "数据包文件", "The bundle file";
    "import bundle --dry-run" => "只检查数据包并报告将合并的内容，不写入任何内容",
        "Check the bundle and report what would be merged, without writing anything";
    "import bundle --update" => UPDATE_ZH, UPDATE_EN;

    "report" => "按顾问、类别、领域、服务方式、部门或月份统计一个期间",
        "Tally a period by advisor, category, topic, service, department or month";
    "report --period" => PERIOD_ZH, PERIOD_EN;
    "report --by" => "按什么分组", "How the rows are grouped";
    "report --format" => "table、csv、json、md、xlsx（含各种分组和全部记录的工作簿）或 docx（Word \
            报告）；xlsx 和 docx 须用 --out（默认：按 --out 文件的扩展名：.csv、.json、.md、.txt、\
            .xlsx、.docx，否则为 table）",
        "table, csv, json, md, xlsx (a workbook of every grouping and the entries) or docx (a \
            Word report); xlsx and docx need --out [default: from the --out file's extension \
            (.csv, .json, .md, .txt, .xlsx, .docx), else table]";
    "report --out" => "写入该文件而不打印（- 表示打印）",
        "Write to this file instead of printing (`-` prints)";
    "report --apportion" => "把合计的小时数按最大余数法（以 0.1 小时计）分到各行，使各行之和正好等于\
            合计（默认：配置文件中的 apportion，否则各行各自四舍五入，合不上时加注说明）",
        "Share the total's hours out over the rows (largest remainder, in tenths of an hour) so \
            that they add up to it exactly [default: `apportion` in the configuration, else each \
            row rounded on its own, with a note when the rows do not add up]";
    "report --header" => HEADER_ZH, HEADER_EN;

    "summary" => "一个期间的报告段落", "The report paragraph for a period";
    "summary --period" => PERIOD_ZH, PERIOD_EN;
    "summary --format" => "text（段落）或 json", "text (the paragraph) or json";

    "export" => "把整个台账（json）或其工时记录（csv）写入文件",
        "Write the whole ledger (json) or its entries (csv) to a file";
    "export --format" => "json 或 csv（默认：按文件的扩展名：.json、.csv，否则为 json）",
        "json or csv [default: from the file's extension (.json, .csv), else json]";
    "export <file>" => "要写入的文件；- 表示打印到终端",
        "The file to write; `-` prints to the terminal";
    "export --header" => IMPORT_HEADER_ZH, IMPORT_HEADER_EN;
    "restore" => "把备份或 JSON 导出文件载入空台账", "Load a backup or a JSON export into an empty store";
    "restore <file>" => "由 counsel-log backup 写出的备份，或由 export --format json 写出的文件",
        "A backup written by `counsel-log backup`, or a file written by `export --format json`";
    "backup" => "写出带校验和的备份，并证明它能还原",
        "Write a checksummed backup and prove it restores";
    "backup <dir>" => "写入的文件夹（默认：配置文件中的 backup_dir，否则为 \
            $XDG_DATA_HOME/counsel-log-backups）",
        "The folder to write to [default: `backup_dir` in the configuration, else \
            $XDG_DATA_HOME/counsel-log-backups]";
    "verify" => "核对审计链，以及每条记录和每个索引是否一致",
        "Check the audit chain and that every record and index agrees";

    "close" => "结账一个月份：此后它的记录不能再添加、修改或删除",
        "File a month: its entries can then no longer be added, changed or deleted";
    "close <month>" => "要结账的月份，YYYY-MM（如 2024-03）",
        "The month to close, YYYY-MM (e.g. 2024-03)";
    "close --reason" => "结账的原因（记入审计记录）", "Why it is closed (kept in the audit trail)";
    "reopen" => "重新打开已结账的月份，原因记入审计记录",
        "Reopen a closed month, for a reason the audit trail keeps";
    "reopen <month>" => "要重新打开的已结账月份，YYYY-MM", "The closed month to reopen, YYYY-MM";
    "reopen --reason" => "重新打开的原因（必填；记入审计记录）",
        "Why it is reopened (required; kept in the audit trail)";
    "correct" => "以别的时长（或别的日期）计算一条记录，原因随之保存",
        "Count an entry with other hours (or on another date), for a reason kept with it";
    "correct <entry>" => "记录，用 log 打印的编号：#282 或 282",
        "The entry, by the number `log` printed: #282 or 282";
    "correct --hours" => "改为计算的时长：1.5、1:30、90m …",
        "The time to count instead: 1.5, 1:30, 90m …";
    "correct --date" => "改为计入的日期，YYYY-MM-DD", "The date to count it on instead, YYYY-MM-DD";
    "correct --reason" => "原因：随更正保存，并在该月的变动中列出",
        "Why: kept with the correction and shown with the month's changes";
    "history" => "审计记录：某条记录的（记录时的样子及其更正）、某事项的、某期间的，或全部",
        "The audit trail: of an entry (as logged, with its corrections), an item, a period, or \
            all";
    "history <entry>" => "记录的编号：#282 或 282（默认：全部审计记录）",
        "The entry, by its number: #282 or 282 [default: the whole audit trail]";
    "history --item" => "某事项（#2024-0019，或导入时的事项键）及其记录的改动",
        "The changes of an item (#2024-0019, or the key it was imported under) and its entries";
    "history --period" => "某期间内的改动，或对日期在该期间内的记录的改动：2024、2024-03、2024-Q1 …",
        "The changes made in a period, or to entries dated in it: 2024, 2024-03, 2024-Q1, …";
    "history --format" => "table（表格）或 json", "table or json";

    "identity" => "本台账的名片（编号、名称、公钥），供办公室登记",
        "This store's card (id, name, public key), for the office to enrol";
    "identity --out" => "把名片写入该文件而不打印", "Write the card to this file instead of printing it";
    "identity --name" => "为本台账命名，即办公室看到的名称（默认：配置文件中的 name，否则为您的用户名）",
        "Name this store (as the office will see it) [default: `name` in the configuration, \
            else your user name]";
    "identity --new-key" => "签名密钥文件丢失时生成新密钥（办公室须再登记新名片：peer set 名称 \
            --card 文件）",
        "Make a new signing key, when the store's key file was lost (the office must then \
            enrol the new card: peer set NAME --card FILE)";
    "peer" => "在此登记、可为部分顾问发送数据包的台账",
        "The stores enrolled here to send bundles for some advisors";
    "peer add" => "凭名片登记一个台账，由它代表所列的顾问",
        "Enrol a store from its card, to speak for the advisors named";
    "peer add <card>" => "该台账用 counsel-log identity --out 文件 写出的名片文件",
        "The card file the store wrote with `counsel-log identity --out FILE`";
    "peer add --advisors" => "它代表的顾问，按编号：A001,A014",
        "The advisors it speaks for, by id: A001,A014";
    "peer add --name" => "在此称呼它的名称（默认：名片上的名称）",
        "The name to know it by here [default: the name on its card]";
    "peer list" => "列出每个已登记的台账、它的顾问和最近一次数据包",
        "Show each enrolled store, its advisors and its last bundle";
    "peer list --format" => "table（表格）或 json（csv 也打印表格）",
        "table or json (csv prints the table too)";
    "peer set" => "修改已登记台账的顾问或名称", "Change an enrolled store's advisors or name";
    "peer set <peer>" => PEER_ZH, PEER_EN;
    "peer set --advisors" => "从此由它代表的顾问：A001,A014",
        "The advisors it speaks for from now on: A001,A014";
    "peer set --name" => "在此称呼它的新名称", "The new name to know it by here";
    "peer set --card" => "该台账换了新密钥重新设置后的新名片（台账编号不变）",
        "The store's new card, after it was set up again with a new key (same store id)";
    "peer remove" => "移除已登记的台账：此后拒收它的数据包",
        "Remove an enrolled store: its bundles are refused from then on";
    "peer remove <peer>" => PEER_ZH, PEER_EN;
    "bundle" => "把本台账的改动写成签名数据包，交给办公室",
        "Write this store's changes as a signed bundle for the office";
    "bundle --out" => "要写入的文件（- 表示打印）", "The file to write (`-` prints it)";
    "bundle --all" => "全部记录，而不只是上一个数据包以来的改动（重复发送总是无害）",
        "Every record, not only what changed since the last bundle (always safe to send again)";
    "bundle --since" => "该日期（含）以来的全部改动，YYYY-MM-DD",
        "Everything changed on or after this date, YYYY-MM-DD";
    "missing" => "某期间内谁没有记录，以及哪些已登记台账的数据包已逾期",
        "Who logged nothing in a period, and which enrolled stores are late with their bundles";
    "missing --period" => PERIOD_ZH, PERIOD_EN;
    "missing --format" => "table（表格）或 json", "table or json";
    "missing --days" => "台账最近一次数据包到达已超过这么多天（1 到 365）即为逾期（默认：配置文件中的 \
            bundle_late_days，否则为 7）",
        "A store is late when its last bundle arrived more than this many days ago, 1 to 365 \
            [default: `bundle_late_days` in the configuration, else 7]";
    "serve" => "不开界面而占用台账，运行其他终端发来的命令（办公室共用的电脑）",
        "Hold the store without the interface and run the commands other terminals send it (a \
            shared office machine)";

    "item" => "关闭、重新打开事项，评满意度，或记录意见是否被采纳",
        "Close, reopen, rate an item or record whether its advice was adopted";
    "item close" => "关闭事项：服务已完成", "Close an item: its service is done";
    "item close <item>" => ITEM_ZH, ITEM_EN;
    "item reopen" => "重新打开已关闭的事项", "Open a closed item again";
    "item reopen <item>" => ITEM_ZH, ITEM_EN;
    "item rate" => "委托部门的评价：satisfied、basic、unsatisfied 或 unrated",
        "The requesting department's rating: satisfied, basic, unsatisfied or unrated";
    "item rate <item>" => ITEM_ZH, ITEM_EN;
    "item rate <rating>" => "satisfied（满意）、basic（基本满意）、unsatisfied（不满意）或 unrated\
            （未评价），也可写中文",
        "satisfied, basic, unsatisfied or unrated (Chinese names accepted)";
    "item outcome" => "意见是否被采纳：adopted（采纳）、not-adopted（未采纳，须加 --reason）或 none",
        "Whether the advice was adopted: adopted, not-adopted (with --reason) or none";
    "item outcome <item>" => ITEM_ZH, ITEM_EN;
    "item outcome <outcome>" => "adopted（采纳）、not-adopted（未采纳，说明原因）或 none（未记录：\
            清除已记录的）",
        "adopted, not-adopted (for a reason) or none (not recorded: clears what was recorded)";
    "item outcome --reason" => "意见未被采纳的原因（not-adopted 时必填；记入审计记录）",
        "Why the advice was not adopted (required with not-adopted; kept in the audit trail)";
    "completions" => "打印 shell 的补全脚本：bash、zsh、fish 或 powershell",
        "Print the shell completion script: bash, zsh, fish or powershell";
    "completions <shell>" => "shell：bash、zsh、fish、powershell（或 elvish）",
        "The shell: bash, zsh, fish, powershell (or elvish)";
    "man" => "打印手册页（roff 格式），如 counsel-log man | man -l -",
        "Print the manual page (roff), e.g. `counsel-log man | man -l -`";
};

/// The fixed words of a help page in one language: its headings, the marks clap would write
/// in English after a flag's help (its choices, its default, its variable), and what stands for
/// the options and the command in a usage line.
pub struct HelpWords {
    /// Before the usage line, with the space that follows it in English.
    pub usage: &'static str,
    pub commands: &'static str,
    pub arguments: &'static str,
    pub options: &'static str,
    /// `[OPTIONS]` in a usage line.
    pub options_tag: &'static str,
    /// `COMMAND` in a usage line.
    pub command_tag: &'static str,
    /// A flag's choices, default and environment variable after its help, the values given.
    pub choices: fn(&str) -> String,
    pub default: fn(&str) -> String,
    pub env: fn(&str) -> String,
    /// Between the choices of a flag.
    pub list_sep: &'static str,
}

/// The help page's words in `lang`.
pub fn help_words(lang: Lang) -> &'static HelpWords {
    lang.of((&ZH, &EN))
}

static ZH: HelpWords = HelpWords {
    usage: "用法：",
    commands: "命令：",
    arguments: "参数：",
    options: "选项：",
    options_tag: "[选项]",
    command_tag: "命令",
    choices: |values| format!("（可选：{values}）"),
    default: |value| format!("（默认：{value}）"),
    env: |name| format!("（环境变量：{name}）"),
    list_sep: "、",
};

static EN: HelpWords = HelpWords {
    usage: "Usage: ",
    commands: "Commands:",
    arguments: "Arguments:",
    options: "Options:",
    options_tag: "[OPTIONS]",
    command_tag: "COMMAND",
    choices: |values| format!(" [possible values: {values}]"),
    default: |value| format!(" [default: {value}]"),
    env: |name| format!(" [env: {name}]"),
    list_sep: ", ",
};

/// What a flag's value is called in a help page and a usage line (`--period <PERIOD>`), in
/// `lang`; `None` for a name clap has no other word for here (`true|false`, named by its
/// choices). clap's name (the flag's, in capitals) is the English one.
pub fn value_word(name: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match name {
        "ADVISOR" => ("顾问", "ADVISOR"),
        "ADVISORS" => ("顾问", "ADVISORS"),
        "ALIASES" => ("别名", "ALIASES"),
        "BY" => ("分组", "BY"),
        "CARD" => ("名片", "CARD"),
        "CATEGORY" => ("类别", "CATEGORY"),
        "CODE" => ("代码", "CODE"),
        "DATE" => ("日期", "DATE"),
        "DEPARTMENT" => ("部门", "DEPARTMENT"),
        "DIR" => ("文件夹", "DIR"),
        "EN" => ("英文名", "EN"),
        "ENTRY" => ("记录", "ENTRY"),
        "FILE" => ("文件", "FILE"),
        "FORMAT" => ("格式", "FORMAT"),
        "HEADER" => ("首行", "HEADER"),
        "HOURS" => ("时长", "HOURS"),
        "ID" => ("编号", "ID"),
        "ITEM" => ("事项", "ITEM"),
        "KIND" => ("类型", "KIND"),
        "LANG" => ("语言", "LANG"),
        "MONTH" => ("月份", "MONTH"),
        "N" => ("天数", "N"),
        "NAME" => ("名称", "NAME"),
        "NOTE" => ("备注", "NOTE"),
        "OUT" => ("文件", "OUT"),
        "OUTCOME" => ("结果", "OUTCOME"),
        "P" => ("期间", "P"),
        "PATH" => ("路径", "PATH"),
        "PEER" => ("台账", "PEER"),
        "PERIOD" => ("期间", "PERIOD"),
        "RATING" => ("评价", "RATING"),
        "REASON" => ("原因", "REASON"),
        "SATISFACTION" => ("满意度", "SATISFACTION"),
        "SERVICE" => ("服务方式", "SERVICE"),
        "SHELL" => ("SHELL", "SHELL"),
        "SUBCOMMAND" => ("命令", "SUBCOMMAND"),
        "TITLE" => ("标题", "TITLE"),
        "TOPIC" => ("领域", "TOPIC"),
        "UNIT" => ("单位", "UNIT"),
        "ZH" => ("中文名", "ZH"),
        _ => return None,
    };
    Some(lang.of((zh, en)))
}
