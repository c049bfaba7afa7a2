from cls.low import b
