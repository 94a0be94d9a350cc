"""Romanised personal names: syllable inventories, surnames and given names used as evidence.

A Latin-script applicant is a person only when the evidence says so (``latin_names.is_person``):
every word parses into romanised Chinese syllables (Hanyu Pinyin, Wade–Giles, Cantonese, Korean)
with a known surname first or last, or a common Western given name stands beside a surname-like
word. Name length alone never decides.

Sources: the Pinyin inventory is the set of toneless readings of U+4E00–U+9FA5 in pypinyin 0.55.0
(MIT; ``ü`` written ``v``/``u``), minus interjections (hm, hng) and single vowels; the Wade–Giles,
Cantonese (Hong Kong government) and Korean (Revised + McCune–Reischauer as used in passports)
syllables and surnames are the common ones, written out by hand; Western given names are the most
frequent US/UK/European first names. Upper case throughout.
"""

from __future__ import annotations

PINYIN = frozenset("""
ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce
cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui
chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die
ding diu dong dou du duan dui dun duo en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang
gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng
hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan
jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan
lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lue lun luo lv
lyu ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao
ne nei nen neng ng ni nian niang niao nie nin ning niu nong nou nu nuan nue nun nuo nv nyu ou pa pai
pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing
qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san
sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan
shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao
tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie
xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai
zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua
zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
""".upper().split())

# Wade–Giles (Taiwan passports), Cantonese (Hong Kong) and Korean syllables not already Pinyin.
OTHER_SYLLABLES = frozenset("""
chih chien chiang chiao chieh chin ching chiu chiung chou chu chuan chuang chueh chun chung chuo
hsi hsia hsiang hsiao hsieh hsien hsin hsing hsiu hsiung hsu hsuan hsueh hsun
jen jih jo jou ju juan jui jun jung kuo kuan kuang kung lung nung pao pei pien pin ping po pu
shih ssu szu sze ta tai tao te teng ti tien ting to tso tsai tsan tsang tsao tse tseng tso tsou tsu
tsuan tsui tsun tsung tu tuan tun tung tzu tze yeh yen yu yuan yueh yung
wong chan leung cheung tsang lau ng yeung kwok kwan lam tam yip chow lo fung siu yiu kam mak cheuk
kwong hui lui shum wing kin keung hing kit wai fai hon yee sau lok chuen hok kei yat tat shing
kar ngai pui wah kai yuk choi lai tak ming chee foo hoo koo loo soo yew lee loh teo goh tay lim
kim park choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn song yoo hong jeon ko moon
yang son bae baek heo nam sim noh ha kwak sung cha joo woo min ryu na jin ji um chae won chun bang
gong hyun ham yeo choo do so seok sun ma gil yeon wi pyo myung ki ban ra geum ok yook in je mo
young soo ho hyun jae jun hee kyung joon jong dong sang kyu chul hoon hwan sik gyu yeol wook mi
eun hye ye su bin beom geun gi hak hyeok hyo il keun seon shik tae uk wan yeong yun youn seung
jeong hyung kyoung kyeong ju eui ui suk sook yong yoo hun soon sun chang cheol chol jin gun
""".upper().split()) - PINYIN

# Surnames written in Latin script (Pinyin, Wade–Giles, Cantonese, Korean, Singapore/Malaysia Hokkien).
SURNAMES = frozenset("""
ai an ao ba bai ban bao bi bian bin bo cai cao cen ceng cha chai chang chao che chen cheng chi chou
chu cong cui dai dan dang deng di diao ding dong dou du duan fan fang fei feng fu gai gan gao ge geng
gong gou gu guan gui guo ha hai han hang hao he heng hou hu hua huang hui huo ji jia jian jiang jiao
jie jin jing ju kang ke kong kou kuang lai lan lang lao le lei leng li lian liang liao lin ling liu
long lou lu luan luo lv lyu ma mai man mao mei men meng mi miao min ming mo mou mu na nan ni nie ning
niu nong ou pan pang pei peng pi ping pu qi qian qiang qiao qin qing qiu qu quan que ran rao ren rong
ru ruan rui sang sha shan shang shao she shen sheng shi shu shuai si song su sui sun suo tai tan tang
tao teng tian tong tu wan wang wei wen weng wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan
xue yan yang yao ye yi yin ying yong you yu yuan yue yun zan zang zeng zhan zhang zhao zhen zheng zhi
zhong zhou zhu zhuang zhuo zong zou zu zuo piao
ouyang situ sima zhuge shangguan dongfang xiahou huangfu gongsun murong zhangsun yuwen linghu
duanmu shentu nangong
chiang chien chiu chou chu chuang chung hsiao hsieh hsu hsueh hung jen juan jung kao ko kuo kung
liao lo pai pao peng su sung tsai tsao tseng tsou tsui tu tuan tung wei yeh yen yu yuan
wong chan leung cheung tsang lau ng yeung kwok kwan lam tam yip chow fung siu yiu kam mak cheuk
kwong hui lui shum tse choi lai ho lee loh teo goh tay lim tan ong ooi yap khoo chua koh ang
kim park jung kang cho yoon jang han oh seo shin kwon hwang ahn yoo hong jeon moon son bae baek heo
nam sim noh kwak sung cha joo woo min ryu jin um chae won chun bang hyun ham yeo choo gil pyo myung
jeong jo yi rhee lee choe
""".upper().split())

# Frequent Western given names (evidence for "SURNAME GIVEN" forms such as "TSAI FRANK").
GIVEN_NAMES = frozenset("""
aaron adam adrian alan albert alex alexander alfred alice amanda amy andrea andreas andrew angela
anna anne anthony antoine antonio arthur barbara barry ben benjamin bernard bill bob brad bradley
brian bruce carl carlos carol caroline catherine charles chris christian christina christine
christopher claire claude craig daniel david dennis derek diana donald douglas edward elizabeth
emily emma eric erik eva frank franz fred frederick gary george gerald gerhard giovanni grace
gregory hans harold harry heinrich helen henry howard hugo ian jack jacob james jan jane janet jason
jay jean jeff jeffrey jennifer jeremy jerome jerry jessica jim joan joe johann johannes john
jonathan jose joseph juan judith julia julie justin karen karl kate katherine kathleen keith kelly
kenneth kevin klaus laura lawrence leo linda lisa louis lucas luis marc marco margaret maria marie
mark martin mary matthew maurice melissa michael michel michelle mike nancy nathan neil nicholas
nicole oliver olivier patricia patrick paul peter philip philippe pierre rachel ralph raymond
rebecca richard robert roger ronald rose ryan samuel sandra sarah scott sean sharon simon stefan
stephanie stephen steven susan thomas tim timothy tom tony victor vincent walter wayne william
wolfgang yves
""".upper().split())
