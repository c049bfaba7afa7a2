from prt.feature.secrets import KEY
