"""A small traditional-to-simplified Chinese character table for keyword matching.

Only one-to-one character pairs common in support tickets (orders, payment, logistics, accounts,
faults) are listed; characters that are also in everyday simplified use (著, 乾, 瞭) are left out so
simplified text is not changed, except that the variant 帐 is folded into 账 (帐号 and 账号 are the
same word). It is a cheap approximation, not a converter: words that differ
between regions (介面 and 接口) are a matter for the keyword lists, not for this table.
"""

from __future__ import annotations

# Aligned strings: TRADITIONAL[i] maps to SIMPLIFIED[i]. No simplified character is itself a key,
# so applying the table twice changes nothing.
TRADITIONAL = (
    "訂單無發貨帳帐賬號錄優換質問題統錯誤當機網頁開關庫賣買結傭設請議數據丟損壞連線異"
    "緊務戶碼認證驗為麼麽樣時間運費遞達還沒處態說話電郵應後臺檯點擊顯載區書過這個們來"
    "會對於與從動將體現實際長門讓給幫嗎謝員價錢幣額購車倉儲揀國內報錶壓頭斷續擴屬權凍"
    "註冊銷稅幾筆帶贈禮滿減紅積級導響調試測準確穩閃潰掛雲紀歷記憶圖視頻聲語簡義產舊髒"
    "顏補賠償責訴專顧聯繫係絡撥熱類別選擇項參環變鑰憑簽約規則條執標計劃畫搶殺節慶雙傳"
    "輸檔匯總獲絕嚴遲滯緩綁風險盜竊詐騙潤軌跡蹤遺攬幹複復隻裡裏麵鐘鍾裝戲愛氣軟廣團隊"
    "經營業廠備寶鏈紐聽見覺親歡隨週轉餘鎖盤槍燈湯醫藥療衛師學習練課讀寫詳細狀況輛檢歸"
    "亂毀滅啟閉擺癱瘓負漲虧賺飾襪褲鏡鐵銀銅鋼鑽紙膠蓋貼擔憂慮誰層樓暫萬億兩卻雖並夠佈"
    "齊濟僅儘盡儀側僱訪瀏覽護張紹協尋術製資訊許詢諮託薦遠鄉緣縣廳鋪舖櫃擁擠壽陸適歲飛"
    "離難雜靜順須預領驅髮鬧魚鳥麥黃齡"
    "兌刪勵場寬審獎種稱籤綠維緒藍該識輯進邊邏鍵閱頓"
)
SIMPLIFIED = (
    "订单无发货账账账号录优换质问题统错误当机网页开关库卖买结佣设请议数据丢损坏连线异"
    "紧务户码认证验为么么样时间运费递达还没处态说话电邮应后台台点击显载区书过这个们来"
    "会对于与从动将体现实际长门让给帮吗谢员价钱币额购车仓储拣国内报表压头断续扩属权冻"
    "注册销税几笔带赠礼满减红积级导响调试测准确稳闪溃挂云纪历记忆图视频声语简义产旧脏"
    "颜补赔偿责诉专顾联系系络拨热类别选择项参环变钥凭签约规则条执标计划画抢杀节庆双传"
    "输档汇总获绝严迟滞缓绑风险盗窃诈骗润轨迹踪遗揽干复复只里里面钟钟装戏爱气软广团队"
    "经营业厂备宝链纽听见觉亲欢随周转余锁盘枪灯汤医药疗卫师学习练课读写详细状况辆检归"
    "乱毁灭启闭摆瘫痪负涨亏赚饰袜裤镜铁银铜钢钻纸胶盖贴担忧虑谁层楼暂万亿两却虽并够布"
    "齐济仅尽尽仪侧雇访浏览护张绍协寻术制资讯许询咨托荐远乡缘县厅铺铺柜拥挤寿陆适岁飞"
    "离难杂静顺须预领驱发闹鱼鸟麦黄龄"
    "兑删励场宽审奖种称签绿维绪蓝该识辑进边逻键阅顿"
)
