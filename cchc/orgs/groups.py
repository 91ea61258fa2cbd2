"""The named groups that plans use, with the phrases officials write for them."""

GROUPS = [
    {
        "code": "so-ban-nganh",
        "name": "các sở, ban, ngành tỉnh",
        "aliases": [
            "các sở, ban, ngành",
            "sở, ban, ngành tỉnh",
            "sở, ban, ngành",
            "các sở ban ngành",
            "các sở, ngành",
            "các sở, ban, ngành thuộc tỉnh",
            "các sở, ban, ngành cấp tỉnh",
        ],
        "kinds": ["department", "sector_agency"],
        "description": "Sở, ban và cơ quan ngành dọc cấp tỉnh",
    },
    {
        "code": "ubnd-cap-huyen",
        "name": "UBND cấp huyện",
        "aliases": [
            "UBND các huyện, thị xã, thành phố",
            "UBND huyện, thị xã, thành phố",
            "các huyện, thị xã, thành phố",
            "UBND các huyện",
            "cấp huyện",
        ],
        "kinds": ["district_committee"],
        "description": "Ủy ban nhân dân các huyện, thị xã, thành phố (đến 30/06/2025)",
    },
    {
        "code": "ubnd-cap-xa",
        "name": "UBND cấp xã",
        "aliases": [
            "UBND các xã, phường, thị trấn",
            "UBND xã, phường, thị trấn",
            "các xã, phường, thị trấn",
            "UBND các xã, phường, đặc khu",
            "UBND các xã, phường",
            "UBND các xã",
            "cấp xã",
        ],
        "kinds": ["commune_committee"],
        "description": "Ủy ban nhân dân các xã, phường, thị trấn",
    },
    {
        "code": "co-quan-don-vi-dia-phuong",
        "name": "các cơ quan, đơn vị, địa phương",
        "aliases": [
            "các cơ quan, đơn vị",
            "các cơ quan, địa phương",
            "các cơ quan, đơn vị, địa phương thuộc tỉnh",
            "các cấp, các ngành",
            "các cấp, ngành",
        ],
        "kinds": ["department", "sector_agency", "district_committee", "commune_committee"],
        "description": "Mọi sở, ban, ngành và UBND các cấp",
    },
    {
        "code": "co-quan-bao-chi",
        "name": "các cơ quan báo chí",
        "aliases": ["cơ quan báo chí", "các cơ quan thông tấn, báo chí"],
        "kinds": ["press"],
        "description": "Báo, đài của tỉnh",
    },
    {
        "code": "co-so-dao-tao",
        "name": "các cơ sở đào tạo",
        "aliases": ["cơ sở đào tạo", "các cơ sở đào tạo, bồi dưỡng"],
        "kinds": ["training"],
        "description": "Cơ sở đào tạo, bồi dưỡng cán bộ, công chức",
    },
]
