package demo

// districtWeights say where organisations sit among the city file's
// districts (the high-tech zone in 浑南 and industrial 铁西 weigh most). The
// city's data — districts, chains, bureau, registry, targets — comes from
// the city file (internal/city/shenyang.yaml); only the demo's own choices
// stay here. A district without a weight weighs 1 (the tests require one
// for every Shenyang district).
var districtWeights = map[string]int{
	"210102": 10, "210103": 8, "210104": 7, "210105": 8, "210106": 16, "210111": 4, "210112": 22,
	"210113": 9, "210114": 7, "210115": 3, "210123": 1, "210124": 2, "210181": 3,
}

func districtWeight(code string) int {
	if w, ok := districtWeights[code]; ok {
		return w
	}
	return 1
}

// outside lists regions outside the city where buyers sit, with weights.
var outside = []struct {
	code, name string
	weight     int
}{
	{"210200", "大连市", 10}, {"210300", "鞍山市", 6}, {"210400", "抚顺市", 5}, {"210500", "本溪市", 3},
	{"210800", "营口市", 3}, {"211100", "盘锦市", 3}, {"211200", "铁岭市", 4}, {"220100", "长春市", 5},
	{"230100", "哈尔滨市", 4}, {"110108", "北京市海淀区", 9}, {"310115", "上海市浦东新区", 7},
	{"440305", "深圳市南山区", 6}, {"320500", "苏州市", 5}, {"330100", "杭州市", 4}, {"370200", "青岛市", 4},
	{"120116", "天津市滨海新区", 4}, {"510100", "成都市", 3}, {"420100", "武汉市", 3}, {"610100", "西安市", 3},
	{"150200", "包头市", 2},
}

// OutsideCodes lists the region codes of the demo's parties outside the
// city (each must be a current code of the national table: a test).
func OutsideCodes() []string {
	out := make([]string, len(outside))
	for i, o := range outside {
		out[i] = o.code
	}
	return out
}

// universities and institutes: the 30 served by dedicated teams.
var universities = []struct{ name, district string }{
	{"东北大学", "210102"}, {"沈阳工业大学", "210112"}, {"沈阳航空航天大学", "210113"}, {"沈阳理工大学", "210112"},
	{"沈阳建筑大学", "210112"}, {"沈阳化工大学", "210106"}, {"沈阳农业大学", "210103"}, {"沈阳药科大学", "210112"},
	{"中国医科大学", "210112"}, {"辽宁大学", "210113"}, {"沈阳师范大学", "210113"}, {"沈阳大学", "210104"},
	{"沈阳工程学院", "210113"}, {"沈阳医学院", "210114"}, {"辽宁中医药大学", "210105"},
}

var institutes = []struct{ name, district string }{
	{OrgInstitute, "210103"}, {"中国科学院沈阳自动化研究所", "210112"}, {"中国科学院沈阳应用生态研究所", "210103"},
	{"中国科学院沈阳计算技术研究所", "210112"}, {"沈阳化工研究院有限公司", "210106"}, {"沈阳铝镁设计研究院有限公司", "210105"},
	{"中国航发沈阳发动机研究所", "210104"}, {"航空工业沈阳飞机设计研究所", "210105"}, {"沈阳仪表科学研究院有限公司", "210105"},
	{"沈阳铸造研究所有限公司", "210106"}, {"辽宁省农业科学院", "210103"}, {"沈阳产业技术研究院", "210112"},
	{"辽宁材料实验室", "210112"}, {"沈阳新材料研究院", "210106"}, {"辽宁省生物医药研究院", "210112"},
}

var agencies = []string{OrgAgency, "东北技术交易服务中心", "辽宁科技大市场沈阳分中心", "沈阳浑南科技成果转化服务中心",
	"沈阳工大科技成果转化有限公司", "沈阳知识产权运营服务中心", "沈阳铁西技术转移中心", "东北大学科技产业集团技术转移中心",
	"沈阳中科院技术转移有限公司", "沈阳创新驿站服务中心"}

var pilotBases = []string{OrgPilotBase, "沈阳新材料中试基地", "沈阳生物医药中试基地", "沈阳机器人中试基地", "沈阳集成电路装备中试基地",
	"沈阳航空零部件中试基地", "沈阳精细化工中试基地", "沈阳医疗器械中试基地", "沈阳新能源汽车零部件中试基地", "沈阳工业软件验证中心",
	"沈阳先进金属材料中试基地", "沈阳农产品加工中试基地", "沈阳节能环保中试基地", "沈阳燃气轮机部件中试基地", "沈阳数控机床中试基地",
	"沈阳输变电装备试验基地", "沈阳人工智能概念验证中心", "沈阳轨道交通装备中试基地", "沈阳化工新材料中试基地", "沈阳中医药中试基地"}
