"""Word lists for term extraction: function words, bad phrase edges and domain stop-phrases.

DOMAIN_STOP_PHRASES are generic heads of patent and paper language ("一种", "方法", "装置",
"系统"): fine inside a term ("锂离子电池管理系统"), never a term on their own.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_ZH = _words(
    "的 了 和 与 及 以及 或 或者 在 对 对于 将 把 被 为 是 有 由 从 以 并 并且 其 该 所述 其中 一种 本 本发明 本实用新型 "
    "本申请 本文 公开 涉及 包括 包含 具有 进行 通过 采用 利用 使用 基于 提出 提供 实现 可以 能够 可 能 用于 用来 "
    "使 使得 得到 获得 根据 按照 如 如下 即 且 而 但 但是 同时 然后 以便 从而 进而 因此 所以 由于 这 这种 这些 "
    "那 那些 各 每 各个 多个 若干 一个 一 两 二 三 第一 第二 第三 上 下 中 内 外 后 前 时 之间 之 等 等等 "
    "个 种 次 也 都 还 又 再 已 已经 将其 所 所以 结果 表明 显示 发现 研究 分析 讨论 探讨 介绍 论述 阐述 "
    "问题 方面 情况 作用 影响 过程 条件 目的 意义 要求 特点 优点 缺点 效果 进一步 较 更 最 很 非常 具 "
    "我国 我们 本研究 该方法 该系统 该装置 方式 相应 对应 设置 设有 连接 安装 固定 位于 一端 另一端 "
    "主要 重要 有效 不同 相关 新 新型 一定 较好 良好 相比 分别 均 以上 以下 之后 之前 至 到 向 往 沿"
)

BAD_EDGE_ZH = _words("所 其 该 各 每 等 及 与 和 或 的 之 了 是 为 在 对 将 把 被 由 从 以 并 个 种 次 时 后 前 内 外 上 下 中")

DOMAIN_STOP_PHRASES = _words(
    "一种 方法 装置 系统 设备 结构 组件 模块 单元 部件 机构 组合物 制备方法 应用 用途 技术 工艺 步骤 特征 "
    "方案 实施例 发明 实用新型 本体 主体 壳体 本发明 所述 其特征 其特征在于 结果 研究 分析 问题 模型 数据 "
    "method device system apparatus unit module structure assembly composition method thereof use "
    "application technique process step invention embodiment result results study analysis paper approach "
    "model data"
)

EN_STOP = _words(
    "a an the of for and or in on at to by with from into onto via as is are was were be been being this that "
    "these those it its their there which who whom whose what when where how than then thus such can could "
    "may might must should would will shall not no nor but also both each either any all some more most "
    "other another between among within without over under about after before during based using used use "
    "present presents presented propose proposed proposes paper study studies show shows shown results "
    "result method methods new novel approach we our us has have had do does did one two three first second "
    "further however therefore herein wherein thereof said comprising comprises including includes"
)
