/**
 * Name pools for the generated fuzzy-name quality set (fuzzy-quality-generated.test.ts): real given
 * names and surnames of the communities CAST's reports name, written as their own people write
 * them (accents, Cyrillic, Greek). Close pairs are here on purpose (Marian / Mariana, Ivan / Ivana,
 * Γεώργιος / Γεωργία, Li / Lin), because siblings and namesakes are where a linker goes wrong.
 *
 * How an entry is written:
 * - "A/B/C": one name with several Latin spellings (Arabic transliterations); A is the usual one;
 * - a hyphen, an apostrophe or a space inside an entry joins the parts of one compound name
 *   (Jean-Baptiste, N'Guessan, Abdul Rahman); "|" joins pinyin syllables written as one word
 *   (Xiu|ying is Xiuying), so that the generator can write them apart;
 * - a surname pair [male, female] is one family name in its two forms (Kowalski, Kowalska).
 */

export type Gender = 'm' | 'f';
export type Script = 'latin' | 'cyrillic-ru' | 'cyrillic-uk' | 'greek';
export type Surname = string | readonly [string, string];

export interface Culture {
  name: string;
  script: Script;
  /** Surname first, as Vietnamese and Chinese names are written at home. */
  surnameFirst: boolean;
  given: Record<Gender, readonly string[]>;
  surnames: readonly Surname[];
  /** Middle names (patronymics, Vietnamese middle names, second given names) by gender. */
  middle?: Record<Gender, readonly string[]>;
  /** How often a person of this culture has a middle name. */
  middleRate: number;
}

export const CULTURES: readonly Culture[] = [
  {
    name: 'Romanian',
    script: 'latin',
    surnameFirst: false,
    given: {
      m: ['Ion', 'Ioan', 'Gheorghe', 'Constantin', 'Vasile', 'Alexandru', 'Mihai', 'Andrei', 'Ștefan', 'Florin', 'Marian', 'Ionuț', 'Cătălin', 'Daniel'],
      f: ['Maria', 'Elena', 'Ioana', 'Andreea', 'Alexandra', 'Mihaela', 'Cristina', 'Ana', 'Gabriela', 'Mariana', 'Florentina', 'Ionela', 'Daniela'],
    },
    surnames: ['Popescu', 'Ionescu', 'Popa', 'Pop', 'Radu', 'Dumitru', 'Stoica', 'Stan', 'Gheorghe', 'Matei', 'Ciobanu', 'Rusu', 'Munteanu', 'Moldovan', 'Dobre', 'Constantinescu', 'Lungu', 'Niță', 'Bălan', 'Țurcanu', 'Mureșan'],
    middle: { m: ['Ion', 'Mihai', 'Andrei'], f: ['Maria', 'Elena', 'Ana'] },
    middleRate: 0.2,
  },
  {
    name: 'Albanian',
    script: 'latin',
    surnameFirst: false,
    given: {
      m: ['Arben', 'Besnik', 'Driton', 'Fatmir', 'Gëzim', 'Ilir', 'Kushtrim', 'Ledion', 'Luan', 'Ardit', 'Erion', 'Xhevdet', 'Agron', 'Dritan'],
      f: ['Arta', 'Blerta', 'Drita', 'Elira', 'Fjolla', 'Besa', 'Mimoza', 'Teuta', 'Vjosa', 'Albana', 'Lindita', 'Shpresa', 'Ardita'],
    },
    surnames: ['Hoxha', 'Krasniqi', 'Berisha', 'Gashi', 'Shehu', 'Kelmendi', 'Morina', 'Dervishi', 'Kola', 'Leka', 'Çela', 'Dushku', 'Bajrami', 'Rama', 'Lika', 'Xhaferi', 'Hysa'],
    middleRate: 0,
  },
  {
    name: 'Vietnamese',
    script: 'latin',
    surnameFirst: true,
    given: {
      m: ['Minh', 'Hùng', 'Dũng', 'Tuấn', 'Hải', 'Long', 'Nam', 'Đức', 'Quang', 'Huy', 'Phong', 'Thắng'],
      f: ['Lan', 'Hương', 'Linh', 'Mai', 'Thảo', 'Trang', 'Phương', 'Hà', 'Anh', 'Ngọc', 'Hoa', 'Nhung'],
    },
    surnames: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương'],
    middle: { m: ['Văn', 'Văn', 'Đức', 'Hữu', 'Minh', 'Quốc'], f: ['Thị', 'Thị', 'Ngọc', 'Thanh', 'Thu'] },
    middleRate: 0.9,
  },
  {
    name: 'Nigerian',
    script: 'latin',
    surnameFirst: false,
    given: {
      m: ['Chinedu', 'Emeka', 'Chukwuemeka', 'Oluwaseun', 'Adebayo', 'Babatunde', 'Musa', 'Ibrahim', 'Osaro', 'Eghosa', 'Efosa', 'Obinna', 'Tunde', 'Uche'],
      f: ['Chiamaka', 'Ngozi', 'Folasade', 'Temitope', 'Aisha', 'Blessing', 'Precious', 'Joy', 'Osas', 'Osasere', 'Adaeze', 'Funmilayo', 'Nneka', 'Amaka'],
    },
    surnames: ['Okafor', 'Okeke', 'Eze', 'Nwosu', 'Obi', 'Adeyemi', 'Oluwole', 'Ogunleye', 'Bello', 'Abubakar', 'Osagie', 'Igbinedion', 'Omoregie', 'Osaghae', 'Edosomwan', 'Aghedo', 'Okonkwo', 'Nwachukwu'],
    middle: { m: ['John', 'Peter', 'Samuel'], f: ['Grace', 'Mary', 'Esther'] },
    middleRate: 0.3,
  },
  {
    name: 'Polish',
    script: 'latin',
    surnameFirst: false,
    given: {
      m: ['Piotr', 'Krzysztof', 'Tomasz', 'Paweł', 'Michał', 'Łukasz', 'Marcin', 'Jakub', 'Grzegorz', 'Wojciech', 'Adam', 'Kamil'],
      f: ['Anna', 'Katarzyna', 'Małgorzata', 'Agnieszka', 'Magdalena', 'Joanna', 'Ewa', 'Aleksandra', 'Zofia', 'Monika', 'Karolina', 'Paulina'],
    },
    surnames: [
      'Nowak', ['Kowalski', 'Kowalska'], ['Wiśniewski', 'Wiśniewska'], 'Wójcik', 'Kowalczyk', ['Kamiński', 'Kamińska'],
      ['Lewandowski', 'Lewandowska'], ['Zieliński', 'Zielińska'], ['Szymański', 'Szymańska'], 'Woźniak',
      ['Dąbrowski', 'Dąbrowska'], ['Kozłowski', 'Kozłowska'], 'Mazur', 'Krawczyk', 'Michalak',
    ],
    middle: { m: ['Jan', 'Józef'], f: ['Maria', 'Anna'] },
    middleRate: 0.1,
  },
  {
    name: 'Ukrainian',
    script: 'cyrillic-uk',
    surnameFirst: false,
    given: {
      m: ['Олександр', 'Андрій', 'Сергій', 'Дмитро', 'Микола', 'Віктор', 'Юрій', 'Богдан', 'Олег', 'Василь', 'Іван', 'Тарас'],
      f: ['Олена', 'Оксана', 'Наталія', 'Юлія', 'Ірина', 'Тетяна', 'Анастасія', 'Катерина', 'Людмила', 'Галина', 'Олександра', 'Мар\u2019яна'],
    },
    surnames: ['Шевченко', 'Коваленко', 'Бондаренко', 'Ткаченко', 'Кравченко', 'Мельник', 'Шевчук', 'Бойко', 'Коваль', 'Поліщук', 'Лисенко', 'Олійник', 'Гончаренко', 'Савченко', ['Ковальський', 'Ковальська']],
    middle: { m: ['Іванович', 'Петрович', 'Олександрович'], f: ['Іванівна', 'Петрівна', 'Олександрівна'] },
    middleRate: 0.2,
  },
  {
    name: 'Russian',
    script: 'cyrillic-ru',
    surnameFirst: false,
    given: {
      m: ['Александр', 'Сергей', 'Дмитрий', 'Алексей', 'Андрей', 'Иван', 'Михаил', 'Николай', 'Владимир', 'Евгений', 'Юрий'],
      f: ['Ольга', 'Татьяна', 'Наталья', 'Елена', 'Юлия', 'Светлана', 'Анна', 'Екатерина', 'Ирина', 'Александра', 'Евгения', 'Ивана'],
    },
    surnames: [
      ['Иванов', 'Иванова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'], ['Соколов', 'Соколова'],
      ['Лебедев', 'Лебедева'], ['Козлов', 'Козлова'], ['Новиков', 'Новикова'], ['Морозов', 'Морозова'], ['Волков', 'Волкова'],
      ['Петров', 'Петрова'], ['Васильев', 'Васильева'], ['Фёдоров', 'Фёдорова'], ['Жуков', 'Жукова'],
    ],
    middle: { m: ['Иванович', 'Сергеевич', 'Александрович', 'Николаевич', 'Викторович'], f: ['Ивановна', 'Сергеевна', 'Александровна', 'Николаевна', 'Викторовна'] },
    middleRate: 0.4,
  },
  {
    name: 'Greek',
    script: 'greek',
    surnameFirst: false,
    given: {
      m: ['Γεώργιος', 'Ιωάννης', 'Κωνσταντίνος', 'Δημήτριος', 'Νικόλαος', 'Παναγιώτης', 'Βασίλειος', 'Χρήστος', 'Ευάγγελος', 'Αθανάσιος'],
      f: ['Μαρία', 'Ελένη', 'Αικατερίνη', 'Βασιλική', 'Σοφία', 'Αγγελική', 'Δήμητρα', 'Γεωργία', 'Ευαγγελία', 'Χριστίνα'],
    },
    surnames: [
      ['Παπαδόπουλος', 'Παπαδοπούλου'], ['Καραγιάννης', 'Καραγιάννη'], ['Παπαδάκης', 'Παπαδάκη'], ['Μακρής', 'Μακρή'],
      ['Αντωνόπουλος', 'Αντωνοπούλου'], 'Οικονόμου', 'Γεωργίου', 'Νικολάου', 'Παπαγεωργίου', 'Βασιλείου', 'Αλεξίου',
    ],
    middleRate: 0,
  },
  {
    name: 'Arabic',
    script: 'latin',
    surnameFirst: false,
    given: {
      m: ['Mohammed/Muhammad/Mohamed/Mohammad', 'Ahmed/Ahmad', 'Mahmoud/Mahmud', 'Hussein/Hussain/Husain', 'Youssef/Yusuf/Yousef', 'Omar/Umar', 'Ali', 'Khaled/Khalid', 'Abdullah/Abdallah', 'Mustafa/Mostafa/Moustafa', 'Ibrahim/Ebrahim', 'Hamza/Hamzah'],
      f: ['Fatima/Fatma/Fatimah', 'Aisha/Aicha/Ayesha', 'Maryam/Mariam', 'Layla/Leila/Laila', 'Nour/Noor/Nur', 'Zainab/Zeinab', 'Amina/Aminah', 'Salma', 'Huda/Houda', 'Rania'],
    },
    surnames: ['Al-Rashid/Al Rashid/El-Rashid', 'Hassan/Hasan', 'Abdelrahman/Abdulrahman/Abdul Rahman', 'Haddad', 'Al-Masri/El-Masri', 'Saleh/Salih', 'Mansour/Mansur', 'Khalil', 'Haidar/Haider/Hayder', 'Nasser/Nasir', 'Othman/Osman/Uthman', 'Darwish/Darwiche', 'Ali'],
    middle: { m: ['Ahmed/Ahmad', 'Mahmoud/Mahmud', 'Hassan/Hasan'], f: ['Ahmed/Ahmad', 'Mahmoud/Mahmud', 'Hassan/Hasan'] },
    middleRate: 0.25,
  },
  {
    name: 'Chinese',
    script: 'latin',
    surnameFirst: true,
    given: {
      m: ['Wei', 'Qiang', 'Lei', 'Jun', 'Yang', 'Jie', 'Ming', 'Hao', 'Wei|ming', 'Xiao|ming', 'Jian|guo', 'Zhi|qiang'],
      f: ['Fang', 'Na', 'Min', 'Jing', 'Li', 'Yan', 'Hui', 'Xiu|ying', 'Xiao|hong', 'Mei|ling', 'Li|na', 'Yu|ting'],
    },
    surnames: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Lin'],
    middleRate: 0,
  },
  {
    name: 'West African French',
    script: 'latin',
    surnameFirst: false,
    given: {
      m: ['Moussa', 'Mamadou', 'Ibrahima', 'Ousmane', 'Souleymane', 'Kouadio', 'Koffi', 'Serge', 'Jean-Pierre', 'Jean-Baptiste', 'Éric', 'Yao'],
      f: ['Aya', 'Fatoumata', 'Aminata', 'Mariam', 'Awa', 'Adjoa', 'Kadiatou', 'Aïssatou', 'Marie-Claire', 'Marie-Thérèse', 'Ramatou', 'Affoué'],
    },
    surnames: ['Koné', 'Traoré', 'Diallo', 'Coulibaly', 'Ouattara', 'Kouassi', 'Kouamé', 'Konaté', 'Diarra', 'Camara', 'Bamba', 'Sow', 'Ndiaye', 'Diop', 'Touré', "N'Guessan", 'Kouakou', "N'Dri"],
    middleRate: 0,
  },
  {
    name: 'English',
    script: 'latin',
    surnameFirst: false,
    given: {
      m: ['James', 'John', 'David', 'Michael', 'Daniel', 'Thomas', 'Christopher', 'Matthew', 'Ryan', 'Liam', 'Jack', 'Harry'],
      f: ['Sarah', 'Emma', 'Emily', 'Jessica', 'Lucy', 'Hannah', 'Rebecca', 'Chloe', 'Danielle', 'Amy', 'Laura', 'Sophie'],
    },
    surnames: ['Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Walker', 'Wright', 'Robinson', 'Thompson', 'Hughes'],
    middle: { m: ['James', 'John', 'Edward'], f: ['Anne', 'Louise', 'Marie'] },
    middleRate: 0.3,
  },
];
