from oslo_utils import importutils

from common import cfg

REPLICATION = importutils.import_class("troveguest.strategies.replication.mysql_binlog.MysqlBinlogReplication")
# Defaults that name modules that no longer exist (as several in Trove's cfg.py do).
STRATEGY = cfg.StrOpt("replication_strategy", default="troveguest.strategies.replication.mysql_gtid")
BACKUP = importutils.import_module("troveguest.strategies.backup.mysql_impl")


def report_status():
    # Loaded at run time: no static import shows this dependency on Trove's core.
    return importutils.import_object("trove.instance.models.CONF")
