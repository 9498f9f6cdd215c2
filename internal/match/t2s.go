package match

// t2s maps common traditional characters to their simplified forms: only
// one-to-one pairs (a traditional character that is also a different
// simplified character, or that has several simplified readings, is left
// out), so the map never changes a simplified text.
var t2s = func() map[rune]rune {
	const pairs = "國国學学會会發发電电機机機机動动當当體体實实點点業业產产時时過过還还對对這这個个們们來来說说從从後后" +
		"開开關关長长問问間间頭头進进見见現现種种經经濟济與与選选線线號号門门車车東东無无樣样氣气處处應应變变" +
		"導导義义環环資资價价團团專专區区醫医藥药療疗傳传術术網网絡络數数據据庫库計计設设備备製制統统檢检測测" +
		"驗验質质術术溫温熱热鋼钢鐵铁銅铜鋁铝礦矿煉炼層层構构場场運运輸输遠远聯联網网絡络優优勢势節节約约" +
		"農农蟲虫獸兽魚鱼蠶蚕麥麦穀谷飼饲養养種种園园漁渔樹树葉叶藥药蘭兰細细纖纤維维織织紡纺綠绿環环廢废" +
		"汙污淨净爐炉燒烧礎础硬硬軟软體体積积壓压傳传輪轮轉转軸轴齒齿車车飛飞艦舰艙舱彈弹達达雷雷衛卫導导" +
		"測测繪绘圖图標标準准規规範范評评價价鑑鉴診诊斷断癥症臟脏腦脑腫肿瘤瘤頸颈骨骨關关節节脈脉聲声響响" +
		"顯显視视頻频錄录類类習习識识別别語语譯译講讲讀读寫写書书圖图畫画紙纸筆笔買买賣卖貨货費费貿贸銷销" +
		"財财稅税務务員员級级組组織织總总領领導导劃划報报紀纪錄录憑凭證证據据條条與与並并啟启動动態态創创" +
		"辦办議议論论調调節节蓋盖確确認认術术擬拟儀仪錶表鐘钟陽阳陰阴極极電电磁磁燈灯薄薄膜膜鏡镜離离納纳" +
		"氫氢氧氧氮氮碳碳矽硅鹽盐鹼碱酸酸塊块粒粒態态縮缩擴扩散散結结晶晶溶溶液液膠胶塗涂鍍镀焊焊銲焊鑄铸" +
		"際际鍛锻輥辊軋轧殼壳縫缝漏漏滲渗閥阀泵泵艙舱罐罐儲储灌灌溉溉澆浇濕湿風风雲云霧雾雪雪災灾險险"
	m := map[rune]rune{}
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}()
