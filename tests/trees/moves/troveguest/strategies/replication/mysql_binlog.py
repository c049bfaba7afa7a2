class MysqlBinlogReplication:
    pass
