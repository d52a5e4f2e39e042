"""The national default standards (DESIGN.md's glossary, doc3–doc5), as plain data: the data
migration and services.defaults_ensure write them for a year; an administrator copies and
changes them from there. Item texts are in Chinese, as the documents print them: they are
data, typed and re-worded by administrators, not strings of the code."""

# (code, name, level, [(text, indicator key or "" for an item a person confirms)])
DEFAULT_STANDARDS = [
    ("jiuyou", "九有", 4, [
        ("有牌子（残联挂牌）", "plaque"),
        ("有理事长任命文件", "chair_appointed"),
        ("有专职委员名册", "liaison_officers"),
        ("有办公场所", "office"),
        ("有工作制度", ""),
        ("有工作经费", "funds"),
        ("有年度工作目标", "annual_plan"),
        ("有工作档案", "archive"),
        ("有残疾人基础数据", "people_data"),
    ]),
    ("liuyou", "六有", 5, [
        ("有牌子（残协挂牌）", "plaque"),
        ("有专职委员", "liaison_officers"),
        ("有活动场所", ""),
        ("有工作制度", ""),
        ("有工作档案", "archive"),
        ("有专职委员补贴", "subsidy"),
    ]),
    ("sangebai", "三个百分之百", 3, [
        ("乡镇（街道）残联组建率100%", "township_dpf_share"),
        ("村（社区）残协组建率100%", "village_association_share"),
        ("乡镇、村（社区）专职委员配备率100%", "liaison_share"),
    ]),
]
