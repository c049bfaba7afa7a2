import ind.gamma
import ind.beta.api
