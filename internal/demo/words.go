package demo

// Words for contract titles, by technical field: objects and methods.
var fieldWords = map[string]struct {
	objects []string
	chains  []string
	weight  int
}{
	"manufacturing": {[]string{"工业机器人视觉定位系统", "五轴数控机床误差补偿", "智能产线数字孪生", "精密减速器", "激光焊接工艺", "大型铸件无损检测", "离心压缩机叶轮", "智能仓储物流系统", "柔性装配单元", "增材制造修复工艺"}, []string{"robot", "cnc", "auto_parts", "gas_turbine", "energy_equipment"}, 30},
	"electronics":   {[]string{"工业互联网平台", "边缘计算网关", "5G专网通信模块", "医学影像智能诊断软件", "晶圆检测设备控制软件", "能源管理云平台", "工业大数据分析系统", "嵌入式实时操作系统", "智慧园区物联网系统", "高精度传感器信号处理"}, []string{"industrial_software", "ai", "ict", "ic_equipment"}, 20},
	"materials":     {[]string{"高性能镁合金板材", "高温合金单晶叶片", "碳纤维复合材料构件", "钛合金增材制造粉末", "耐蚀涂层", "石墨烯导热膜", "特种陶瓷轴承", "高强铝合金型材"}, []string{"metal_materials", "fine_chemicals", "aviation"}, 10},
	"biomedicine":   {[]string{"新型抗肿瘤药物制剂", "中药配方颗粒质量标准", "体外诊断试剂盒", "医用内窥镜", "康复外骨骼机器人", "生物降解心血管支架", "疫苗佐剂", "基因检测分析流程"}, []string{"biopharma", "medical_devices"}, 8},
	"energy":        {[]string{"风电机组状态监测", "氢燃料电池电堆", "储能电池管理系统", "余热回收发电", "光伏逆变器", "特高压变压器绝缘", "燃气轮机燃烧室"}, []string{"energy_equipment", "power_grid", "gas_turbine", "nev"}, 8},
	"environment":   {[]string{"工业废水深度处理", "固废资源化利用", "VOCs治理装置", "土壤修复药剂", "烟气脱硝催化剂", "污泥减量化工艺"}, []string{"green", "fine_chemicals"}, 6},
	"urban":         {[]string{"装配式建筑构件", "城市地下管网监测", "智慧供热调控系统", "桥梁健康监测", "绿色建材", "老旧小区节能改造方案"}, []string{"green", "ict"}, 6},
	"aerospace":     {[]string{"航空发动机叶片加工", "飞机复合材料修理", "无人机飞控系统", "机载设备环境试验", "航天器热控涂层"}, []string{"aviation", "aerospace"}, 5},
	"transport":     {[]string{"新能源汽车电驱系统", "轨道车辆转向架", "智能网联汽车测试", "汽车轻量化车身", "地铁信号控制系统"}, []string{"nev", "auto_parts", "rail"}, 4},
	"agriculture":   {[]string{"玉米高产栽培技术", "设施蔬菜病害防控", "畜禽粪污资源化", "水稻新品种选育", "农产品冷链保鲜"}, []string{"agrifood"}, 2},
	"nuclear":       {[]string{"核级阀门检测", "辐照加工工艺"}, []string{"energy_equipment"}, 1},
}

var fieldOrder = []string{"manufacturing", "electronics", "materials", "biomedicine", "energy", "environment", "urban", "aerospace", "transport", "agriculture", "nuclear"}

// categoryMix: category, sub-type and weight (percent of contracts).
var categoryMix = []struct {
	category, subType, suffix string
	weight                    int
}{
	{"development", "entrusted_dev", "技术开发（委托）", 36}, {"development", "cooperative_dev", "技术开发（合作）", 9},
	{"transfer", "patent_transfer", "专利权转让", 3}, {"transfer", "know_how_transfer", "技术秘密转让", 3},
	{"transfer", "patent_application_transfer", "专利申请权转让", 1},
	{"license", "patent_license", "专利实施许可", 2}, {"license", "know_how_license", "技术秘密使用许可", 1},
	{"consulting", "consulting", "技术咨询", 10}, {"service", "service", "技术服务", 31},
	{"service", "training", "技术培训", 2}, {"service", "intermediary", "技术中介", 2},
}

var enterpriseWords = struct{ prefixes, trades []string }{
	prefixes: []string{"新松", "华创", "北方", "盛京", "浑河", "金杯", "远大", "东软", "科远", "辽沈", "鼎盛", "中科", "启明", "瑞驰", "精工", "天工", "恒泰", "博奥", "星海", "海龟", "蓝天", "万合", "联创", "智远", "国科", "长白", "银河", "宏达", "三洋", "凯森"},
	trades:   []string{"智能装备", "机器人", "新材料", "生物医药", "医疗器械", "软件", "电子科技", "航空部件", "汽车部件", "能源科技", "环保科技", "精细化工", "数控技术", "信息技术", "检测技术"},
}

var outsideWords = []string{"华信", "中元", "恒通", "德润", "新航", "晨光", "海川", "卓越", "鸿业", "同方", "泰和", "安捷", "国瑞", "宏图", "天宇", "众诚"}
