"""The hundred most common surnames of mainland China, most common first: the pinyin
keyboard offers them first for the first character of a name (app/domain/pinyin_input.py).

Source: the "百家姓" ranking by registered population published by the Ministry of Public
Security's household registration research centre (公安部户政管理研究中心) in its national
name reports; the 2020 report (《二〇二〇年全国姓名报告》) keeps the 2019 order "with little
change": 王 李 张 刘 陈 lead, 万 and 欧 entered the hundred in 2019, 常 and 汤 fell to 101
and 102. Only the order matters here (which surname the bar shows first), not the counts.
"""

COMMON_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周"
    "徐孙马朱胡郭何高林罗"
    "郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟"
    "熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向欧"
)
assert len(COMMON_SURNAMES) == len(set(COMMON_SURNAMES)) == 100
