"""Text shown on the public hall display must not carry a phone number, however it is written."""

import pytest

from app.domain import Invalid
from app.domain.validation import clean_public_text, contains_phone_number

REFUSED = [
    "13800138000",
    "找王老板 139-0598-0001",
    "电话13800138000",
    "１３８００１３８０００",  # full-width digits
    "138.0013.8000",
    "138 0013 8000",
    "138/0013/8000",
    "138_0013_8000",
    "138·0013·8000",
    "138、0013、8000",
    "138—0013—8000",
    "138–0013–8000",
    "138~0013~8000",
    "138，0013，8000",
    "138。0013。8000",
    "1 3 8 0 0 1 3 8 0 0 0",
    "138\u30000013\u30008000",  # ideographic spaces
    "①③⑧⓪⓪①③⑧⓪⓪⓪",  # circled digits
    "❶❸❽00❶❸❽000",  # negative circled digits
    "1\ufe0f\u20e33\ufe0f\u20e38\ufe0f\u20e300138000",  # keycap emoji
    "138\u200b0013\u200b8000",  # zero-width spaces
    "一三八零零一三八零零零",
    "一三八〇〇一三八〇〇〇",
    "幺三八洞洞幺三八洞洞洞",
    "幺三八零零幺三八零零零",
    "一三九两两两两三三三三",
    "壹叁捌零零壹叁捌零零零",
    "壹叁玖贰贰贰贰肆伍陆柒",
    "1三8零零一3八0零0",  # mixed
    "一三八 零零一三 八零零零",
    "联系 +86 138 0013 8000",
    "+8613800138000",
    "0086-138-0013-8000",
    "138-0013-8000转123",
    "包吃包住，有意者联系138 0013 8000王先生",
]

ACCEPTED = [
    "",
    "日薪150-200元，6人，2026年12月1日 7:30开工",
    "需要3人 工期2天",
    "一天两百",
    "包吃，日结",
    "凤岗街道水南村",
    "工资150/180/200/250元，按技术定",
    "130、150、180、200元不等",
    "上午8:00-11:30，下午13:30-17:30",
    "8:00-11:30，13:30-17:30",
    "2026-12-01 至 2026-12-15",
    "2026.12.01 07:30 开工",
    "12月13、14、15、16、17、18日",
    "沙县小吃城3号楼18层1801室",
    "一二三期工地，两三个人，七八百块",
    "座机0598-5820000",
    "138****8000",
    "工号 1380013",
]


@pytest.mark.parametrize("text", REFUSED)
def test_phone_numbers_in_public_text_are_found_however_written(text):
    assert contains_phone_number(text)


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_posting_text_is_not_taken_for_a_phone_number(text):
    assert not contains_phone_number(text)


def test_public_text_with_a_phone_number_is_refused_with_the_reason():
    with pytest.raises(Invalid, match="这里会在大厅屏幕上公开显示，请不要填写电话号码"):
        clean_public_text("找王老板 一三八零零一三八零零零", label="补充说明", minimum=0, maximum=200)
    assert clean_public_text(" 包吃  日结 ", label="补充说明", minimum=0, maximum=200) == "包吃 日结"
