from ex import b1
