from ext.helpers import net
