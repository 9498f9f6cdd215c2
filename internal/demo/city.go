package demo

import "kechuang/internal/domain"

// CityCode and CityName are the demo city's GB/T 2260 code and name.
const (
	CityCode = "210100"
	CityName = "沈阳市"
)

// districts are Shenyang's districts and counties (GB/T 2260) with a weight
// for where organisations sit (the high-tech zone in 浑南 and industrial 铁西
// weigh most).
var districts = []struct {
	code, name string
	weight     int
}{
	{"210102", "和平区", 10}, {"210103", "沈河区", 8}, {"210104", "大东区", 7}, {"210105", "皇姑区", 8},
	{"210106", "铁西区", 16}, {"210111", "苏家屯区", 4}, {"210112", "浑南区", 22}, {"210113", "沈北新区", 9},
	{"210114", "于洪区", 7}, {"210115", "辽中区", 3}, {"210123", "康平县", 1}, {"210124", "法库县", 2},
	{"210181", "新民市", 3},
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

// Regions returns every region the demo uses.
func Regions() []domain.Region {
	out := []domain.Region{{Code: "210000", Name: "辽宁省"}, {Code: CityCode, Name: CityName, Parent: "210000"}}
	for _, d := range districts {
		out = append(out, domain.Region{Code: d.code, Name: d.name, Parent: CityCode})
	}
	for _, o := range outside {
		out = append(out, domain.Region{Code: o.code, Name: o.name})
	}
	return out
}

// Chains are the city's 20 key industrial chains.
var Chains = []domain.Chain{
	{Code: "robot", Name: "机器人"}, {Code: "aviation", Name: "航空装备"}, {Code: "ic_equipment", Name: "集成电路装备"},
	{Code: "nev", Name: "新能源汽车"}, {Code: "auto_parts", Name: "汽车及零部件"}, {Code: "cnc", Name: "数控机床"},
	{Code: "power_grid", Name: "输变电装备"}, {Code: "energy_equipment", Name: "能源装备"}, {Code: "gas_turbine", Name: "燃气轮机"},
	{Code: "medical_devices", Name: "医疗装备"}, {Code: "biopharma", Name: "生物医药"}, {Code: "metal_materials", Name: "先进金属材料"},
	{Code: "fine_chemicals", Name: "精细化工"}, {Code: "industrial_software", Name: "工业软件"}, {Code: "ai", Name: "人工智能"},
	{Code: "ict", Name: "新一代信息技术"}, {Code: "rail", Name: "轨道交通装备"}, {Code: "agrifood", Name: "农产品精深加工"},
	{Code: "green", Name: "节能环保"}, {Code: "aerospace", Name: "航天装备"},
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
