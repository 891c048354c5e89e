-- A small French business's ERP ("gestion commerciale"), with French column names, some with
-- accents as a migration from a desktop database keeps them: clients, their orders (commandes),
-- invoices and payments, the catalogue of articles, the staff (salariés) and their pay slips.
-- dialects: sqlite, postgres, mysql
create table pays (
  code_pays char(2) primary key,
  libelle varchar(80) not null
);
create table famille_article (
  id_famille integer primary key,
  libelle varchar(80) not null
);
create table article (
  id_article integer primary key,
  reference varchar(30) not null,
  designation varchar(200) not null,
  id_famille integer references famille_article (id_famille),
  prix_unitaire_ht decimal(10,2) not null,
  taux_tva decimal(4,2) not null,
  stock integer not null,
  actif boolean not null
);
create table agence (
  id_agence integer primary key,
  nom varchar(80) not null,
  adresse varchar(200),
  code_postal varchar(10),
  ville varchar(80),
  telephone varchar(20)
);
create table salarie (
  id_salarie integer primary key,
  matricule varchar(20) not null,
  civilite varchar(5),
  nom varchar(80) not null,
  prénom varchar(80) not null,
  date_naissance date,
  lieu_naissance varchar(80),
  numero_securite_sociale varchar(21),
  adresse varchar(200),
  code_postal varchar(10),
  ville varchar(80),
  téléphone varchar(20),
  courriel varchar(120),
  poste varchar(80),
  date_embauche date not null,
  date_sortie date,
  salaire_brut_mensuel decimal(10,2),
  id_agence integer references agence (id_agence),
  id_responsable integer references salarie (id_salarie)
);
create table client (
  id_client integer primary key,
  code_client varchar(20) not null,
  civilite varchar(5),
  nom varchar(80) not null,
  prenom varchar(80),
  raison_sociale varchar(120),
  adresse varchar(200),
  complement_adresse varchar(200),
  code_postal varchar(10),
  ville varchar(80),
  code_pays char(2) references pays (code_pays),
  tel_fixe varchar(20),
  tel_portable varchar(20),
  email varchar(120),
  date_naissance date,
  accepte_newsletter boolean not null,
  remarques text,
  id_commercial integer references salarie (id_salarie),
  date_creation timestamp not null,
  date_maj timestamp
);
create table adresse_livraison (
  id_adresse integer primary key,
  id_client integer not null references client (id_client),
  libelle varchar(50),
  destinataire varchar(120),
  adresse varchar(200) not null,
  code_postal varchar(10) not null,
  ville varchar(80) not null,
  code_pays char(2) references pays (code_pays),
  instructions text
);
create table commande (
  id_commande integer primary key,
  numero varchar(20) not null,
  id_client integer not null references client (id_client),
  id_adresse_livraison integer references adresse_livraison (id_adresse),
  id_agence integer references agence (id_agence),
  date_commande timestamp not null,
  date_livraison_prevue date,
  statut varchar(20) not null,
  montant_ht decimal(10,2) not null,
  montant_tva decimal(10,2) not null,
  montant_ttc decimal(10,2) not null,
  mode_reglement varchar(20),
  commentaire text
);
create table ligne_commande (
  id_commande integer not null references commande (id_commande),
  numero_ligne integer not null,
  id_article integer not null references article (id_article),
  quantite integer not null,
  prix_unitaire_ht decimal(10,2) not null,
  remise_pct decimal(5,2),
  primary key (id_commande, numero_ligne)
);
create table facture (
  id_facture integer primary key,
  numero_facture varchar(20) not null,
  id_commande integer not null references commande (id_commande),
  date_facture date not null,
  adresse_facturation varchar(300) not null,
  montant_ttc decimal(10,2) not null,
  date_echeance date
);
create table reglement (
  id_reglement integer primary key,
  id_facture integer not null references facture (id_facture),
  date_reglement date not null,
  montant decimal(10,2) not null,
  mode varchar(20) not null,
  iban_emetteur varchar(34),
  reference_bancaire varchar(40)
);
create table bulletin_paie (
  id_bulletin integer primary key,
  id_salarie integer not null references salarie (id_salarie),
  periode char(7) not null,
  salaire_brut decimal(10,2) not null,
  cotisations decimal(10,2) not null,
  net_a_payer decimal(10,2) not null,
  date_paiement date
);
