from apps.common.qr import qr_svg_response


def test_qr_is_a_standalone_svg_an_img_tag_can_show():
    response = qr_svg_response("https://renda.example.cn/o/new/?station=1")
    body = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml"
    assert 'xmlns="http://www.w3.org/2000/svg"' in body and not body.startswith("<?xml")
